// Used by tests only, as an independent reader (it checks every chunk's CRC) of the PNGs we write.
declare module 'png-chunks-extract' {
  export interface PngChunk {
    name: string;
    data: Uint8Array;
  }
  export default function extractChunks(data: Uint8Array): PngChunk[];
}
