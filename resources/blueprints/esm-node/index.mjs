// An ES module handler: the module's top-level await runs once, during init.
const startedAt = await Promise.resolve(new Date().toISOString());

export const handler = async (event) => ({ startedAt, received: event });
