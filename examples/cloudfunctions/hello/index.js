// A minimal WeChat cloud function: WeChat calls `main` (handler index.main) with the caller's
// event and context, and hands back what it resolves to.
exports.main = async (event, context) => ({
  message: `Hello, ${event.name || 'world'}!`,
  requestId: context.request_id,
  at: new Date().toISOString(),
});
