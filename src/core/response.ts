/**
 * An upstream response the gateway buffered for the response-body phase. Controls read the
 * decoded bytes or the parsed JSON (parsed once, on first use, whoever asks first); they never
 * write it themselves: a `modify` verdict carries the replacement, and the pipeline applies
 * it only where the control enforces (monitor mode reports what would have changed).
 */
export interface ResponseHead {
  status: number;
  /** Lower-case media type without parameters; undefined when the upstream sent none. */
  mediaType: string | undefined;
}

export type JsonRead = { ok: true; value: unknown } | { ok: false; reason: string };

export class InspectedResponse implements ResponseHead {
  private parsed: JsonRead | undefined;
  private replaced = false;
  private decodedText: string | undefined;
  private replacedText: string | undefined;

  constructor(
    readonly status: number,
    readonly headers: Readonly<Record<string, string | string[] | undefined>>,
    readonly mediaType: string | undefined,
    /** The body as the client would read it (content-coding removed). */
    readonly body: Buffer,
  ) {}

  /** True for `application/json` and `+json` media types. */
  get isJson(): boolean {
    const t = this.mediaType;
    return t !== undefined && (t === 'application/json' || t.endsWith('+json'));
  }

  /** The body parsed as JSON (memoised). Call only where `isJson`. */
  json(): JsonRead {
    if (!this.parsed) {
      try {
        this.parsed = { ok: true, value: JSON.parse(this.body.toString('utf8')) as unknown };
      } catch (err) {
        this.parsed = { ok: false, reason: (err as Error).name === 'SyntaxError' ? 'invalid JSON' : 'unreadable JSON' };
      }
    }
    return this.parsed;
  }

  /** Applied by the pipeline for an enforced `modify` verdict. */
  replaceJson(value: unknown): void {
    this.parsed = { ok: true, value };
    this.replaced = true;
  }

  /** The body as text (memoised): for `text/*` and similar media read as UTF-8. */
  text(): string {
    this.decodedText ??= this.body.toString('utf8');
    return this.replacedText ?? this.decodedText;
  }

  replaceText(text: string): void {
    this.replacedText = text;
    this.replaced = true;
  }

  get modified(): boolean {
    return this.replaced;
  }

  /** The bytes to send when modified. */
  serialize(): Buffer {
    if (this.replacedText !== undefined) return Buffer.from(this.replacedText, 'utf8');
    const r = this.parsed;
    return Buffer.from(r?.ok ? JSON.stringify(r.value) : '', 'utf8');
  }
}
