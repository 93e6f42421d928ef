// Returns a greeting for the name in the event.
exports.handler = async (event) => {
  const name = event?.name ?? 'world';
  console.log(`Greeting ${name}`);
  return { message: `Hello, ${name}!` };
};
