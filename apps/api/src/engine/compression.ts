/** How pg_dump compresses the custom-format archive's data (`--compress`). */
export const COMPRESSION_ALGORITHMS = ['gzip', 'lz4', 'zstd', 'none'] as const;
export type CompressionAlgorithm = (typeof COMPRESSION_ALGORITHMS)[number];

export interface Compression {
  algorithm: CompressionAlgorithm;
  /** null for `none`. */
  level: number | null;
}

/** The levels pg_dump accepts for each algorithm, and the one used when none is given (pg_dump's own defaults). */
export const COMPRESSION_LEVELS: Record<
  Exclude<CompressionAlgorithm, 'none'>,
  { min: number; max: number; default: number }
> = {
  gzip: { min: 1, max: 9, default: 6 },
  lz4: { min: 1, max: 12, default: 1 },
  zstd: { min: 1, max: 22, default: 3 },
};

/** pg_dump writes lz4 and zstd from this major on; older ones know only gzip (`-Z 0..9`). */
export const LZ4_ZSTD_PG_DUMP_MAJOR = 16;

/** The database asks for an algorithm the pg_dump that would dump it cannot write. */
export class CompressionUnsupportedError extends Error {
  constructor(
    readonly algorithm: CompressionAlgorithm,
    readonly pgDumpVersion: string,
  ) {
    super(
      `${algorithm} compression needs pg_dump ${LZ4_ZSTD_PG_DUMP_MAJOR} or newer; this database is dumped by pg_dump ${pgDumpVersion} (choose gzip or none, or install postgresql-client-${LZ4_ZSTD_PG_DUMP_MAJOR} or newer)`,
    );
    this.name = 'CompressionUnsupportedError';
  }
}

/** lz4 and zstd: only pg_dump 16 and newer write them. */
export function needsNewerPgDump(algorithm: CompressionAlgorithm): boolean {
  return algorithm === 'lz4' || algorithm === 'zstd';
}

export function canCompressWith(algorithm: CompressionAlgorithm, pgDumpMajor: number): boolean {
  return !needsNewerPgDump(algorithm) || pgDumpMajor >= LZ4_ZSTD_PG_DUMP_MAJOR;
}

/** A setting with its level filled in (the algorithm's default when left out; none has no level). */
export function withLevel(algorithm: CompressionAlgorithm, level?: number | null): Compression {
  if (algorithm === 'none') return { algorithm, level: null };
  return { algorithm, level: level ?? COMPRESSION_LEVELS[algorithm].default };
}

/**
 * What a backup is compressed with: the database's choice, or by default zstd level 3 where the
 * pg_dump can write it (much less of pg_dump's CPU than gzip for about the same size), else gzip 6.
 */
export function effectiveCompression(
  setting: Compression | null,
  pgDump: { major: number; version?: string },
): Compression {
  if (!setting) return pgDump.major >= LZ4_ZSTD_PG_DUMP_MAJOR ? withLevel('zstd') : withLevel('gzip');
  if (!canCompressWith(setting.algorithm, pgDump.major)) {
    throw new CompressionUnsupportedError(setting.algorithm, pgDump.version ?? String(pgDump.major));
  }
  return withLevel(setting.algorithm, setting.level);
}

/**
 * pg_dump's `--compress` argument. gzip and none use the bare level, which every pg_dump 12–17
 * reads as gzip (0: none); lz4/zstd use `method:level` (pg_dump 16+).
 */
export function pgDumpCompressArgument(compression: Compression): string {
  switch (compression.algorithm) {
    case 'none':
      return '--compress=0';
    case 'gzip':
      return `--compress=${compression.level ?? COMPRESSION_LEVELS.gzip.default}`;
    default:
      return `--compress=${compression.algorithm}:${compression.level ?? COMPRESSION_LEVELS[compression.algorithm].default}`;
  }
}

/** A database's or backup's stored columns as a setting; null when none was chosen (or recorded). */
export function storedCompression(row: {
  compressionAlgorithm: CompressionAlgorithm | null;
  compressionLevel: number | null;
}): Compression | null {
  return row.compressionAlgorithm ? withLevel(row.compressionAlgorithm, row.compressionLevel) : null;
}

/** e.g. "zstd level 3", "no compression". */
export function describeCompression(compression: Compression): string {
  return compression.algorithm === 'none' ? 'no compression' : `${compression.algorithm} level ${compression.level}`;
}
