// An error answer from the Kubernetes API, with the Status fields code can branch on.
import { exitCodes, TskubeadmError } from '../errors.js';

/** metav1.StatusReason values tskubeadm branches on (others are kept as given). */
export type StatusReason =
  | 'AlreadyExists' | 'NotFound' | 'Conflict' | 'Forbidden' | 'Unauthorized' | 'Invalid' | 'BadRequest'
  | 'MethodNotAllowed' | 'ServerTimeout' | 'Timeout' | 'TooManyRequests' | 'InternalError' | 'ServiceUnavailable'
  | (string & {});

export class ApiError extends TskubeadmError {
  constructor(
    /** HTTP status; 0 when no answer came (connection refused, TLS failure, timeout). */
    readonly status: number,
    readonly reason: StatusReason,
    message: string,
    opts: { readonly fix?: string; readonly cause?: unknown } = {},
  ) {
    super(message, { exitCode: exitCodes.api, ...opts });
    this.name = 'ApiError';
  }
}

export const isAlreadyExists = (e: unknown): e is ApiError => e instanceof ApiError && e.reason === 'AlreadyExists';
export const isNotFound = (e: unknown): e is ApiError => e instanceof ApiError && e.reason === 'NotFound';
export const isForbidden = (e: unknown): e is ApiError => e instanceof ApiError && e.reason === 'Forbidden';
export const isConflict = (e: unknown): e is ApiError => e instanceof ApiError && e.reason === 'Conflict';
