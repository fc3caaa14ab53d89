// What every grant receives from the token endpoint (entra/token.ts), which picks the grant by
// `grant_type`: the grants know nothing of the endpoint, only of this request.
import type { Authority, Call } from '../entra/context.ts';
import type { Application } from '../model.ts';

/** The call, the client the endpoint authenticated, and the form parameters. */
export interface TokenRequest {
  authority: Authority;
  call: Call;
  client: Application;
  params: URLSearchParams;
}
