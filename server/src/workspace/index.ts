/** The source provider: files under root folders with open documents laid over them. */
export {
  Workspace, sourceKey, isDiskKey, keyUri, sameStamp,
  type SourceKey, type SourceStamp, type Overlay, type SkippedInput, type ListOptions,
} from './workspace.js';
