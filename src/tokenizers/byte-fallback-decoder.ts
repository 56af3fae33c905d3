import type { Decoder } from './components.js';

const BYTE_PIECE = /^<0x([0-9A-F]{2})>$/;
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Turns runs of `<0xXX>` byte tokens back into text, each invalid UTF-8 sequence becoming U+FFFD,
 * as SentencePiece's byte fallback does. (https://huggingface.co/docs/tokenizers/api/decoders#tokenizers.decoders.ByteFallback)
 * @example
 * ```ts
 * byteFallbackDecoder().decodeChain(['a', '<0xE2>', '<0x96>', '<0x81>']); // ['a', '▁']
 * ```
 */
export function byteFallbackDecoder(): Decoder {
  return {
    decodeChain(tokens: string[]): string[] {
      const out: string[] = [];
      let bytes: number[] = [];
      const flush = (): void => {
        if (bytes.length === 0) return;
        const text = decoder.decode(Uint8Array.from(bytes));
        // Hugging Face emits one U+FFFD per byte when the run is not valid UTF-8.
        out.push(text.includes('\ufffd') ? '\ufffd'.repeat(bytes.length) : text);
        bytes = [];
      };
      for (const token of tokens) {
        const byte = BYTE_PIECE.exec(token);
        if (byte !== null) bytes.push(parseInt(byte[1]!, 16));
        else flush(), out.push(token);
      }
      flush();
      return out;
    },
    toJSON: () => ({ type: 'ByteFallback' }),
  };
}
