// The API's error answers: metav1.Status bodies with the messages kube-apiserver writes
// (apimachinery's api/errors constructors), thrown as ApiFailure by the handlers and written by the server.
import type { ResourceType } from '../../../src/api/resources.js';

export interface StatusDetails {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly uid?: string;
  readonly causes?: readonly { readonly reason: string; readonly message: string; readonly field: string }[];
}

export interface StatusBody {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure' | 'Success';
  readonly message?: string;
  readonly reason?: string;
  readonly details?: StatusDetails;
  readonly code: number;
}

/** An error answer; the server writes `body` with HTTP status `body.code`. */
export class ApiFailure extends Error {
  constructor(readonly body: StatusBody) {
    super(body.message);
  }
}
ApiFailure.prototype.name = 'ApiFailure';

export function failure(code: number, reason: string, message: string, details?: StatusDetails): ApiFailure {
  return new ApiFailure({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason,
    ...(details === undefined ? {} : { details }), code,
  });
}

export function success(details: StatusDetails): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 };
}

export const groupOf = (t: ResourceType): string => (t.apiVersion.includes('/') ? t.apiVersion.split('/')[0]! : '');

/** schema.GroupResource.String(): `configmaps`, `clusterroles.rbac.authorization.k8s.io`. */
export function qualifiedResource(group: string, plural: string): string {
  return group === '' ? plural : `${plural}.${group}`;
}

function resourceDetails(t: ResourceType, name: string): StatusDetails {
  const group = groupOf(t);
  return { ...(name === '' ? {} : { name }), ...(group === '' ? {} : { group }), kind: t.plural };
}

export function notFound(t: ResourceType, name: string): ApiFailure {
  return failure(404, 'NotFound', `${qualifiedResource(groupOf(t), t.plural)} "${name}" not found`, resourceDetails(t, name));
}

/** A path the server does not serve (what kube-apiserver says for /api/v1/foos). */
export function pathNotFound(): ApiFailure {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(t: ResourceType, name: string): ApiFailure {
  return failure(409, 'AlreadyExists', `${qualifiedResource(groupOf(t), t.plural)} "${name}" already exists`, resourceDetails(t, name));
}

export function conflict(t: ResourceType, name: string): ApiFailure {
  return failure(409, 'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(groupOf(t), t.plural)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    resourceDetails(t, name));
}

export interface FieldCause {
  readonly field: string;
  /** `Invalid value: "x": why`, `Required value: why`… */
  readonly message: string;
  readonly reason: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueForbidden';
}

/** 422: `<Kind>[.<group>] "<name>" is invalid: <field>: <message>[, …]`. */
export function invalid(t: ResourceType, name: string, causes: readonly FieldCause[]): ApiFailure {
  const group = groupOf(t);
  const kind = group === '' ? t.kind : `${t.kind}.${group}`;
  const text = causes.map((c) => `${c.field}: ${c.message}`);
  const joined = text.length === 1 ? text[0]! : `[${text.join(', ')}]`;
  return failure(422, 'Invalid', `${kind} "${name}" is invalid: ${joined}`, {
    ...(name === '' ? {} : { name }), ...(group === '' ? {} : { group }), kind: t.kind,
    causes: causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field })),
  });
}

export function badRequest(message: string): ApiFailure {
  return failure(400, 'BadRequest', message);
}

export function unauthorized(): ApiFailure {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

export function methodNotAllowed(message: string): ApiFailure {
  return failure(405, 'MethodNotAllowed', message);
}

export function internalError(message: string): ApiFailure {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: '', message, field: '' }] });
}
