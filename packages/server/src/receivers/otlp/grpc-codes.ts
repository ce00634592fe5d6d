/**
 * The gRPC status codes the OTLP receivers use (https://grpc.github.io/grpc/core/md_doc_statuscodes.html).
 * Kept here so the HTTP receiver can fill google.rpc.Status.code without loading @grpc/grpc-js.
 */
export const GrpcCode = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

export type GrpcCode = (typeof GrpcCode)[keyof typeof GrpcCode];
