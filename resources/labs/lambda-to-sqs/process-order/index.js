// Accepts an order with a positive total; throws otherwise, so the failure destination gets it.
exports.handler = async (event) => {
  if (!(event.total > 0)) throw new Error(`Order ${event.orderId} has no positive total`);
  console.log(`Processed order ${event.orderId}`);
  return { orderId: event.orderId, status: 'processed' };
};
