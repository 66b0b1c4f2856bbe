import type PDFKit from 'pdfkit';

/** What the PDF is made from: the letter as the e-mail's text variant says it. */
export interface PdfLetter {
  /** BCP 47 language of the text (`nb`, `nn`, `en`): set as the document's language. */
  language: string;
  /** The letter's subject: the document's title, shown by readers instead of the file name. */
  title: string;
  /** The sending municipality (the document's author). */
  sender: string;
  /** The plain-text letter, rendered from the same Handlebars template as the e-mail. */
  text: string;
}

/**
 * pdfkit (with fontkit, brotli and its fonts' metrics) is loaded on the first letter, not at
 * start: only a municipality that sends letters through SvarUt uses it, and loaded at start it
 * held ~12 MB of every portal's heap and ~12 MB more RSS (the started demo portal, three starts
 * each way; issue 18's RSS targets, `bench/results/NOTES.md`).
 */
let pdfKit: Promise<typeof PDFKit> | undefined;
function loadPdfKit(): Promise<typeof PDFKit> {
  pdfKit ??= import('pdfkit').then((module) => module.default);
  return pdfKit;
}

const LANGUAGE_TAGS: Record<string, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' };
const MARGIN = 72;

/**
 * The decision letter as a PDF for SvarUt (which passes it to Digipost, e-Boks, Altinn or print).
 * Tagged, with title and language in its metadata, so a screen reader reads it as a document
 * rather than as loose text. Set in pdfkit's built-in Helvetica: WinAnsi covers æ, ø and å, and
 * @fontsource's Inter is a variable woff2 that pdfkit (fontkit) cannot embed. The standard 14
 * fonts are not embedded, so the file is tagged PDF but not PDF/UA (which demands embedded
 * fonts); a static TTF in the repository would lift that.
 *
 * The text's shape is the text template's: the first paragraph names the municipality, the next
 * is the heading, a paragraph in capitals is a section heading, `- ` starts a list item.
 */
export async function letterPdf(
  letter: PdfLetter,
  options: { compress?: boolean } = {},
): Promise<Buffer> {
  const PDFDocument = await loadPdfKit();
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: options.compress ?? true,
    pdfVersion: '1.7',
    tagged: true,
    lang: LANGUAGE_TAGS[letter.language] ?? letter.language,
    displayTitle: true,
    info: {
      Title: letter.title,
      Author: letter.sender,
      Subject: letter.title,
      Creator: 'minside-faktura',
      Producer: 'minside-faktura',
      // A fixed date would be a lie; the real one makes two renderings of a letter differ, which
      // is fine: the idempotency key is the letter's, not the file's.
      CreationDate: new Date(),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const root = doc.struct('Document');
  doc.addStructure(root);
  const blocks = toBlocks(letter.text);
  blocks.forEach((block, index) => {
    const role = roleOf(block, index);
    const style = STYLES[role];
    root.add(
      doc.struct(role, {}, () => {
        doc
          .font(style.font)
          .fontSize(style.size)
          .text(printable(block.join('\n')), {
            paragraphGap: style.gap,
          });
      }),
    );
    if (index < blocks.length - 1) doc.moveDown(style.after);
  });
  root.end();
  doc.end();
  return done;
}

type Role = 'P' | 'H1' | 'H2';
const STYLES: Record<Role, { font: string; size: number; gap: number; after: number }> = {
  H1: { font: 'Helvetica-Bold', size: 16, gap: 2, after: 0.6 },
  H2: { font: 'Helvetica-Bold', size: 12, gap: 2, after: 0.3 },
  P: { font: 'Helvetica', size: 11, gap: 2, after: 0.6 },
};

function roleOf(block: string[], index: number): Role {
  if (index === 1) return 'H1';
  const line = block.join(' ');
  const letters = line.replace(/[^\p{L}]/gu, '');
  return block.length === 1 && letters.length > 2 && line === line.toLocaleUpperCase() ? 'H2' : 'P';
}

/** Paragraphs of the text: runs of non-blank lines. */
function toBlocks(text: string): string[][] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((block) => block.split(/\r?\n/).map((line) => line.trimEnd()))
    .map((lines) => lines.filter((line) => line.trim() !== ''))
    .filter((lines) => lines.length > 0);
}

/**
 * Helvetica is WinAnsi: characters it lacks would print as nothing or as garbage. Typographic
 * spaces (the amounts' U+00A0 and U+202F) become plain spaces; anything else outside WinAnsi
 * becomes "?", which at least shows that something was there.
 */
function printable(text: string): string {
  return text
    .replace(/[\u2000-\u200b\u202f\u205f]/g, ' ')
    .replace(/[\u2010\u2011]/g, '-')
    .replace(
      /[^\n\u0020-\u007e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u20ac]/g,
      '?',
    );
}
