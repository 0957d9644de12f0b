/**
 * The W3C `tracestate` header and its OpenTelemetry `ot` entry (`ot=rv:…;th:…;other:…`), read
 * with the rules of collector-contrib `pkg/sampling` (w3ctracestate.go, oteltracestate.go):
 *
 * - W3C: ≤ 1024 chars; members split on `,`, trimmed of spaces/tabs, empty ones skipped; keys are
 *   a lowercase letter then lowercase letters, digits and `_ - * /` (or `tenant@system`); values
 *   are 1–256 printable chars without `,` `=`, not ending in a space; the 32nd member (empty ones
 *   count) is an error; a later `ot` member replaces an earlier one;
 * - `ot`: ≤ 256 chars of `key:value` pairs split on `;` (no empty pair, no trailing `;`), keys
 *   `lcalpha *(lcalpha / digit)`, values `[A-Za-z0-9._-]*`; `rv` is 14 hex digits, `th` 1–14
 *   (either case; kept as written until rewritten).
 *
 * Like upstream, a parse error still yields what was read: the whole state is empty when the
 * syntax is wrong; a bad `rv`/`th` value, an oversized key or the member limit drop only the
 * part concerned. Serialisation writes `ot` first (`rv`, `th`, then other sub-keys) and the other
 * members in order.
 */
export interface ParsedTraceState {
  /** `ot` sub-keys other than rv/th, in order, as `key:value`. */
  readonly otExtra: string[];
  rv: string | undefined;
  th: string | undefined;
  /** Other vendors' `key=value` members, in order. */
  readonly others: string[];
}

export interface TraceStateParse {
  readonly state: ParsedTraceState;
  /** The first problem found; undefined when the header is valid. */
  readonly error: string | undefined;
}

const MAX_W3C_LENGTH = 1024;
const MAX_W3C_MEMBERS = 32;
const MAX_KEY_LENGTH = 256;
const MAX_TENANT_LENGTH = 241;
const MAX_SYSTEM_LENGTH = 14;
const MAX_OT_LENGTH = 256;

const SIMPLE_KEY = /^[a-z][a-z0-9_\-*/]*$/;
const MULTI_TENANT_KEY = /^[a-z0-9][a-z0-9_\-*/]*@[a-z][a-z0-9_\-*/]*$/;
/** 0–255 chars of %x20-2B / %x2D-3C / %x3E-7E, then one of them that is not a space. */
const W3C_VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const OT_MEMBER = /^[a-z][a-z0-9]*:[A-Za-z0-9._-]*$/;
const RV_VALUE = /^[0-9a-fA-F]{14}$/;
const TH_VALUE = /^[0-9a-fA-F]{1,14}$/;

function emptyState(): ParsedTraceState {
  return { otExtra: [], rv: undefined, th: undefined, others: [] };
}

/** Trims W3C optional whitespace (spaces and tabs only). */
function trimOws(s: string): string {
  return s.replace(/^[ \t]+|[ \t]+$/g, '');
}

function splitMember(member: string, sep: string): [string, string] {
  const at = member.indexOf(sep);
  return [member.slice(0, at), member.slice(at + 1)];
}

/** The raw `,`-separated members; a trailing empty one is not a member (it ends the list). */
function w3cMembers(header: string): string[] {
  const parts = header.split(',');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Whole-header syntax (upstream checks it before reading anything). */
function validW3cSyntax(header: string): boolean {
  for (const raw of w3cMembers(header)) {
    const member = trimOws(raw);
    if (member === '') continue;
    if (member.indexOf('=') < 1) return false;
    const [key, value] = splitMember(member, '=');
    if (!(SIMPLE_KEY.test(key) || MULTI_TENANT_KEY.test(key)) || !W3C_VALUE.test(value)) return false;
  }
  return true;
}

/** A key's size limits; undefined when within them. */
function keySizeError(key: string): string | undefined {
  if (key.length > MAX_KEY_LENGTH) return 'tracestate key too long';
  const at = key.indexOf('@');
  if (at >= 0 && (at > MAX_TENANT_LENGTH || key.length - at - 1 > MAX_SYSTEM_LENGTH)) return 'tracestate key too long';
  return undefined;
}

/** Reads the `ot` value into `state` (replacing what an earlier `ot` member set). */
function readOt(value: string, state: ParsedTraceState): string | undefined {
  state.otExtra.length = 0;
  state.rv = undefined;
  state.th = undefined;
  if (value.length > MAX_OT_LENGTH) return 'ot value too long';
  const members = value.split(';');
  if (!members.every((m) => OT_MEMBER.test(m))) return 'invalid ot syntax';
  let error: string | undefined;
  for (const member of members) {
    const [key, v] = splitMember(member, ':');
    if (key === 'rv') {
      state.rv = RV_VALUE.test(v) ? v : undefined;
      if (state.rv === undefined) error ??= 'invalid rv';
    } else if (key === 'th') {
      state.th = TH_VALUE.test(v) ? v : undefined;
      if (state.th === undefined) error ??= 'invalid th';
    } else state.otExtra.push(member);
  }
  return error;
}

export function parseTraceState(header: string): TraceStateParse {
  const state = emptyState();
  if (header === '') return { state, error: undefined };
  if (header.length > MAX_W3C_LENGTH) return { state, error: 'tracestate too long' };
  if (!validW3cSyntax(header)) return { state, error: 'invalid tracestate syntax' };
  let error: string | undefined;
  let members = 0;
  for (const raw of w3cMembers(header)) {
    if (++members >= MAX_W3C_MEMBERS) return { state, error: error ?? 'too many tracestate members' };
    const member = trimOws(raw);
    if (member === '') continue;
    const [key, value] = splitMember(member, '=');
    const sizeError = keySizeError(key);
    if (sizeError !== undefined) error ??= sizeError;
    else if (key === 'ot') {
      const otError = readOt(value, state);
      error ??= otError;
    } else state.others.push(member);
  }
  return { state, error };
}

/** The header: `ot` rebuilt from the state (omitted when it has nothing), then the other members. */
export function serializeTraceState(ts: ParsedTraceState): string {
  const ot = [...(ts.rv === undefined ? [] : [`rv:${ts.rv}`]), ...(ts.th === undefined ? [] : [`th:${ts.th}`]), ...ts.otExtra];
  return [...(ot.length > 0 ? [`ot=${ot.join(';')}`] : []), ...ts.others].join(',');
}
