/**
 * A strict RFC 4180 reader for tests: records end in CRLF (a lone LF is accepted too), fields are
 * either bare (no comma, quote, CR or LF) or quoted with inner quotes doubled. Anything else throws,
 * so a test learns when the export quotes badly.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  const endRecord = () => {
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quoted field");
        const ch = text[i] as string;
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += ch;
        i++;
      }
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
        if (text[i] === '"') throw new Error(`a quote inside a bare field at ${i}`);
        field += text[i];
        i++;
      }
    }
    record.push(field);
    if (i >= text.length) {
      endRecord();
      break;
    }
    const ch = text[i];
    if (ch === ",") {
      i++;
      if (i >= text.length) {
        record.push("");
        endRecord();
      }
      continue;
    }
    if (ch === "\r" && text[i + 1] === "\n") i += 2;
    else if (ch === "\n") i += 1;
    else throw new Error(`unexpected ${JSON.stringify(ch)} after a field at ${i}`);
    endRecord();
  }
  return records;
}
