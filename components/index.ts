// Entry point of the bundle and of the package export: defines <eas-payload-editor> as a side effect.
export { EasPayloadEditor, type EasPayloadEditorEventDetail } from './eas-payload-editor';
export type { Identity } from './controls';
export type { Payload } from './model';
export { DEFAULT_STRINGS, type EditorStrings, type FieldText } from './strings';
