// Logs the large orders that the rule's pattern lets through.
exports.handler = async (event) => {
  console.log(`Large order from ${event.source}: total ${event.detail.total}`);
  return { accepted: event.detail.total };
};
