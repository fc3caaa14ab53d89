// Dynamically registered clients that asked for a client secret (token_endpoint_auth_method
// client_secret_post) get one from the SDK's /register handler, once, in its answer. The store keeps
// only its hash, like every other secret here. The SDK's client authentication at /token and /revoke
// compares what the client presents with what the store returns, so the presented secret is hashed
// first: the comparison is then hash to hash, and a leaked store holds no secret anyone can present.
import express, { type RequestHandler } from 'express';
import type { OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';
import { hashSecret } from './secrets.ts';

/** The client as the store keeps it: its secret, if it has one, as a hash. */
export function withHashedSecret(client: OAuthClientInformationFull): OAuthClientInformationFull {
  return client.client_secret ? { ...client, client_secret: hashSecret(client.client_secret) } : client;
}

/** In front of /token and /revoke: read the form, and replace a presented client_secret by its hash. */
export function hashPresentedClientSecret(): RequestHandler[] {
  return [
    express.urlencoded({ extended: false }), // the SDK's own parser then finds the body already read
    (req, _res, next) => {
      const body = req.body as Record<string, unknown> | undefined;
      if (typeof body?.client_secret === 'string') body.client_secret = hashSecret(body.client_secret);
      next();
    },
  ];
}
