// The contract between the importer and a tabular parser (CSV, InfluxDB annotated CSV): records in, parts out.
// Its own module so that the parsers depend on it and not on each other.
import type { SeriesPart } from './builder.ts';

export interface RecordParser {
  record(fields: string[], line: number): void;
  /** `tables`: CSV tables read (each with its own header), for a host that joins ranges of one file. */
  finish(): { parts: SeriesPart[]; format: string; duplicates: number; tables?: number };
}
