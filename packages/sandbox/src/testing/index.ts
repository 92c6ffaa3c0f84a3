export {
  vendorConformance,
  type ConformanceCheck,
  type ConformanceOptions,
  type ConformanceReport,
} from './conformance.js';
export { handshakeShapes } from './handshake-shapes.js';
export { expiryShapes, withExpiry, type ExpiryShape } from './expiry-shapes.js';
