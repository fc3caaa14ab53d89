// Graph's app registrations: list (with `$filter`, so a script can look an app up by name before
// creating it: that is what makes registration idempotent), read by object id or by
// `(appId='...')`, create, update, delete. The objects are the tenant model's own, so an app created
// here can sign in at the token endpoint at once.
import { randomUUID } from 'node:crypto';
import { applyApplicationChanges } from './application-body.ts';
import { APPLICATION, applicationView } from './application-view.ts';
import { requirePermission, type Permissions } from './auth.ts';
import { readJsonBody, type GraphCall } from './call.ts';
import { invalidValue, resourceNotFound } from './errors.ts';
import { parseQuery } from './query.ts';
import { collectionResponse, entityResponse, noContent } from './responses.ts';
import { newApplication, type Application } from '../model.ts';

export const READ_APPLICATIONS: Permissions = {
  delegated: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  application: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All'],
};
export const WRITE_APPLICATIONS: Permissions = {
  delegated: ['Application.ReadWrite.All'],
  application: ['Application.ReadWrite.All'],
};

/** The application a route names: `/applications/{id}` or `/applications(appId='{appId}')`. */
export function findApplication(call: GraphCall): Application {
  const [id, appId] = call.params;
  const app = call.ctx.model.applications.find((candidate) => (id !== undefined ? candidate.id === id : candidate.appId === appId));
  if (!app) throw resourceNotFound((id ?? appId)!);
  return app;
}

export async function listApplications(call: GraphCall): Promise<Response> {
  requirePermission(call.caller, READ_APPLICATIONS);
  const { model } = call.ctx;
  return collectionResponse(call, 'applications', model.applications.map((app) => applicationView(model, app)), parseQuery(call.url, APPLICATION));
}

export async function getApplication(call: GraphCall): Promise<Response> {
  requirePermission(call.caller, READ_APPLICATIONS);
  const app = findApplication(call);
  return entityResponse(call, 'applications', applicationView(call.ctx.model, app), parseQuery(call.url, APPLICATION).select);
}

export async function createApplication(call: GraphCall): Promise<Response> {
  requirePermission(call.caller, WRITE_APPLICATIONS);
  const { model } = call.ctx;
  const body = await readJsonBody(call);
  const app = newApplication({
    id: randomUUID(),
    appId: randomUUID(), // the client id, chosen by Entra: a script learns it from this response
    displayName: '',
    createdDateTime: new Date(call.ctx.now()).toISOString(),
  });
  applyApplicationChanges(model, app, body);
  if (app.displayName === '') throw invalidValue('displayName', 'Application');
  model.applications.push(app);
  return entityResponse(call, 'applications', applicationView(model, app), undefined, undefined, 201);
}

export async function updateApplication(call: GraphCall): Promise<Response> {
  requirePermission(call.caller, WRITE_APPLICATIONS);
  const app = findApplication(call);
  applyApplicationChanges(call.ctx.model, app, await readJsonBody(call));
  return noContent(call);
}

/** Deleting a registration also deletes its service principal in the tenant, as Entra does. */
export async function deleteApplication(call: GraphCall): Promise<Response> {
  requirePermission(call.caller, WRITE_APPLICATIONS);
  const app = findApplication(call);
  const { model } = call.ctx;
  model.applications.splice(model.applications.indexOf(app), 1);
  const principal = model.servicePrincipals.findIndex((candidate) => candidate.appId === app.appId);
  if (principal >= 0) model.servicePrincipals.splice(principal, 1);
  return noContent(call);
}
