// The floor of the `one` and `many` cases: the WeChat calls the action makes to create new
// functions, and nothing else: the list, one createfunction POST per missing function with
// `parallel` in flight, the list again until every function is Active.
import { agent, createMissing, isActive, listUntil } from './floor-wechat.mjs';

await createMissing();
await listUntil(isActive);
agent.destroy();
