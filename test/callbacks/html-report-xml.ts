// A deliberately small XML reader for the HTML report tests: it accepts only what a well-formed
// document contains (balanced tags, quoted attributes, no bare `<` or `&` in text) and builds a
// tree to query. It throws on anything else, so a malformed report fails the tests.

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Text directly inside the element, entities decoded. */
  text: string;
}

const TAG = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
const ATTRIBUTE = /([\w:-]+)="([^"<]*)"/g;
const ENTITY = /&(amp|lt|gt|quot|#39);/g;
const DECODED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

export function decodeEntities(text: string): string {
  if (/&(?!(amp|lt|gt|quot|#39);)/.test(text)) throw new Error(`bare & in ${JSON.stringify(text.slice(0, 80))}`);
  return text.replace(ENTITY, (_m, name: string) => DECODED[name] as string);
}

/** Parses a document (an optional `<!DOCTYPE html>` first) into its root element. */
export function parseXml(source: string): XmlElement {
  const document: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [document];
  let at = source.startsWith('<!DOCTYPE html>') ? '<!DOCTYPE html>'.length : 0;
  while (at < source.length) {
    const next = source.indexOf('<', at);
    const text = source.slice(at, next === -1 ? source.length : next);
    if (text.includes('>')) throw new Error(`bare > in text ${JSON.stringify(text.slice(0, 80))}`);
    (stack.at(-1) as XmlElement).text += decodeEntities(text);
    if (next === -1) break;
    TAG.lastIndex = next;
    const match = TAG.exec(source);
    if (!match) throw new Error(`malformed tag at ${next}: ${JSON.stringify(source.slice(next, next + 80))}`);
    const [whole, closing, name, attributeText, selfClosing] = match as unknown as [string, string, string, string, string];
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
    } else {
      const attributes: Record<string, string> = {};
      for (const [, key, value] of attributeText.matchAll(ATTRIBUTE)) {
        if (key! in attributes) throw new Error(`duplicate attribute ${key} on <${name}>`);
        attributes[key!] = decodeEntities(value!);
      }
      const element: XmlElement = { name, attributes, children: [], text: '' };
      (stack.at(-1) as XmlElement).children.push(element);
      if (!selfClosing) stack.push(element);
    }
    at = next + whole.length;
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack.at(-1)?.name}>`);
  if (document.text.trim() !== '' || document.children.length !== 1) throw new Error('a document has exactly one root element');
  return document.children[0] as XmlElement;
}

/** Every element under `root` (itself included) with the given name, in document order. */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  const found = root.name === name ? [root] : [];
  for (const child of root.children) found.push(...findAll(child, name));
  return found;
}

/** The text of an element and all its descendants. */
export function textOf(element: XmlElement): string {
  return element.text + element.children.map(textOf).join('');
}

/** The scales a chart declares on its `<svg>`, inverted: pixel coordinates back to (step, value). */
export function chartScales(svg: XmlElement): { step: (x: number) => number; value: (y: number) => number; plot: number[] } {
  const numbers = (name: string): number[] => (svg.attributes[name] as string).split(' ').map(Number);
  const [xMin, xMax] = numbers('data-x-domain') as [number, number];
  const [yMin, yMax] = numbers('data-y-domain') as [number, number];
  const plot = numbers('data-plot');
  const [left, top, width, height] = plot as [number, number, number, number];
  const log = svg.attributes['data-y-scale'] === 'log';
  const fromFraction = (f: number): number => (log ? 10 ** (Math.log10(yMin) + f * (Math.log10(yMax) - Math.log10(yMin))) : yMin + f * (yMax - yMin));
  return {
    step: (x) => xMin + ((x - left) / width) * (xMax - xMin),
    // SVG y grows downwards: the bottom edge of the plot is the domain's minimum.
    value: (y) => fromFraction((top + height - y) / height),
    plot,
  };
}

/** A polyline's `points` attribute as [x, y] pairs. */
export function polylinePoints(polyline: XmlElement): Array<[number, number]> {
  return (polyline.attributes.points as string).split(' ').map((pair) => pair.split(',').map(Number) as [number, number]);
}
