// A minimal WeChat cloud function: WeChat calls `main` (handler index.main) with the caller's
// event and context, and hands back what it resolves to. GREETING comes from the function's
// environment variables (the action's `environment` input).
exports.main = async (event, context) => ({
  message: `${process.env.GREETING || 'Hello'}, ${event.name || 'world'}!`,
  requestId: context.request_id,
  at: new Date().toISOString(),
});
