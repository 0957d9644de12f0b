/**
 * The piscina worker entry (the only `filename` the pool uses). Runs inside worker threads:
 * imports only pure modules, never main-thread ones (an ESLint rule enforces it). Returns the
 * result with its typed arrays' buffers transferred, not copied.
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { generateChunk } from './generate-chunk.js';
import { resultBuffers, type GenerateTask } from './messages.js';

export default function generate(task: GenerateTask): unknown {
  const result = generateChunk(task);
  // piscina's Transferable protocol: `move` marks the wrapper; its buffers go in the transfer
  // list and the main thread receives `valueSymbol`'s object.
  return move({ [transferableSymbol]: resultBuffers(result), [valueSymbol]: result });
}
