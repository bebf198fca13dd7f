/**
 * V8 flags for the Node processes that move media in bulk: the chunker and
 * downloads (the `natster` CLI).
 *
 * - A 64 MB old-generation floor. With V8's default, a ~10 MB heap gets a
 *   limit of ~25 MB, no more than its 16 MB semi-space can promote, so V8
 *   starts incremental marking again right after every full GC: 70–110 full
 *   GCs per GiB transferred, ~1 ms/MB of marking threads on each side. With
 *   the floor there are 0–13, and a download runs ~25 % faster.
 * - A 2 MB semi-space keeps the receiver's young generation, and with it
 *   its RSS, small (under 200 MB while downloading, 204–210 MB without).
 *
 * Figures: docs/benchmarks.md. Only the command line can set these for the
 * main thread (NODE_OPTIONS refuses the first; neither changes at run time),
 * so they are repeated in the `natster` bin's shebang and the
 * `natster`/`start`/`dev` scripts of the root, CLI and chunker package.json.
 */
export const MEDIA_NODE_FLAGS: readonly string[] = ['--initial-old-space-size=64', '--max-semi-space-size=2'];
