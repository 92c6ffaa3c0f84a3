export {
  vendorConformance,
  type ConformanceCheck,
  type ConformanceOptions,
  type ConformanceReport,
} from './conformance.js';
