// Returns a greeting from inside a container image function.
exports.handler = async (event) => {
  const name = event?.name ?? 'world';
  console.log(`Greeting ${name} from an image`);
  return { message: `Hello from a container image, ${name}!` };
};
