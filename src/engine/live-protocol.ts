/** OTLP transports a live run can send over (`--protocol`). */
export type LiveProtocol = 'grpc' | 'http/protobuf' | 'http/json';
export const LIVE_PROTOCOLS: readonly LiveProtocol[] = ['grpc', 'http/protobuf', 'http/json'];

