import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { inflateRawSync } from "node:zlib";

/** The zips that `serverless package` writes: read through their central directory. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  /** Bytes of the archive that this entry accounts for: local header, data, central directory record. */
  footprint: number;
}

/** Reads the central directory of a zip (no ZIP64, no encryption: what serverless writes). */
export function readZip(zip: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("not a zip file: no end of central directory record");
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error("corrupt zip central directory");
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeaderOffset = zip.readUInt32LE(at + 42);
    const compressedSize = zip.readUInt32LE(at + 20);
    const centralRecord = 46 + nameLength + extraLength + commentLength;
    const localHeader =
      30 + zip.readUInt16LE(localHeaderOffset + 26) + zip.readUInt16LE(localHeaderOffset + 28);
    const hasDescriptor = (zip.readUInt16LE(at + 8) & 0x8) !== 0;
    entries.push({
      name: zip.toString("utf8", at + 46, at + 46 + nameLength),
      method: zip.readUInt16LE(at + 10),
      compressedSize,
      size: zip.readUInt32LE(at + 24),
      localHeaderOffset,
      footprint: localHeader + compressedSize + (hasDescriptor ? 16 : 0) + centralRecord,
    });
    at += centralRecord;
  }
  return entries;
}

export function unzip(zip: Buffer, entries: ZipEntry[], into: string): void {
  for (const entry of entries) {
    if (entry.name.endsWith("/")) continue;
    const target = join(into, entry.name);
    if (!target.startsWith(`${into}/`)) throw new Error(`zip entry outside the folder: ${entry.name}`);
    const offset = entry.localHeaderOffset;
    const start = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
    const data = zip.subarray(start, start + entry.compressedSize);
    let content: Buffer;
    if (entry.method === 0) content = data;
    else if (entry.method === 8) content = inflateRawSync(data);
    else throw new Error(`${entry.name}: unsupported zip compression method ${entry.method}`);
    if (content.length !== entry.size) throw new Error(`${entry.name}: size mismatch after unzipping`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}
