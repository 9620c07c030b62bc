/**
 * A parser for the small subset of Python used by feedparser's test corpus in its
 * "Expect:" lines: boolean operators, comparison chains, subscripts, attribute access,
 * calls, string/number/None/True/False literals, tuples, lists and dicts.
 *
 * It builds an AST only; test/conformance/translate.ts decides which expressions can be
 * mapped onto the project's model.
 */

export type PyNode =
  | { kind: 'name'; name: string }
  | { kind: 'str'; value: string }
  | { kind: 'num'; value: number }
  | { kind: 'const'; value: null | boolean }
  | { kind: 'tuple'; items: PyNode[] }
  | { kind: 'list'; items: PyNode[] }
  | { kind: 'dict'; entries: [PyNode, PyNode][] }
  | { kind: 'subscript'; target: PyNode; index: PyNode }
  | { kind: 'attr'; target: PyNode; name: string }
  | { kind: 'call'; target: PyNode; args: PyNode[] }
  | { kind: 'not'; operand: PyNode }
  | { kind: 'neg'; operand: PyNode }
  | { kind: 'add'; left: PyNode; right: PyNode }
  | { kind: 'and'; operands: PyNode[] }
  | { kind: 'or'; operands: PyNode[] }
  /** a OP1 b OP2 c … (Python comparison chains). */
  | { kind: 'compare'; first: PyNode; ops: string[]; rest: PyNode[] };

type Token =
  | { t: 'name'; v: string }
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'op'; v: string }
  | { t: 'end' };

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', '{', '}', ',', ':', '.', '-', '+'];

function decodePythonString(body: string, raw: boolean): string {
  if (raw) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i];
    switch (n) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        let digits = n;
        while (digits.length < 3 && /[0-7]/.test(body[i + 1] ?? '')) digits += body[++i];
        out += String.fromCodePoint(parseInt(digits, 8));
        break;
      }
      case 'x': out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 3), 16)); i += 2; break;
      case 'u': out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 5), 16)); i += 4; break;
      case 'U': out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16)); i += 8; break;
      case '\n': break;
      case '\\': case "'": case '"': out += n; break;
      default: out += `\\${n ?? ''}`;
    }
  }
  return out;
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    // String literal with optional prefix (u, b, r, ur …).
    const prefix = /^([uUbBrR]{0,2})(['"])/.exec(src.slice(i, i + 3));
    if (prefix && (prefix[1] === '' || /^[a-zA-Z]+$/.test(prefix[1]))) {
      const quote = prefix[2];
      const raw = /r/i.test(prefix[1]);
      const triple = src.startsWith(quote.repeat(3), i + prefix[1].length);
      const open = prefix[1].length + (triple ? 3 : 1);
      let j = i + open;
      let body = '';
      for (;;) {
        if (j >= src.length) throw new SyntaxError('unterminated string');
        if (src[j] === '\\') { body += src.slice(j, j + 2); j += 2; continue; }
        if (triple ? src.startsWith(quote.repeat(3), j) : src[j] === quote) break;
        body += src[j++];
      }
      tokens.push({ t: 'str', v: decodePythonString(body, raw) });
      i = j + (triple ? 3 : 1);
      continue;
    }
    const num = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[lL]?/.exec(src.slice(i));
    if (num) {
      tokens.push({ t: 'num', v: Number(num[0].replace(/[lL]$/, '')) });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (name) {
      tokens.push({ t: 'name', v: name[0] });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new SyntaxError(`unexpected character ${JSON.stringify(c)}`);
    tokens.push({ t: 'op', v: op });
    i += op.length;
  }
  tokens.push({ t: 'end' });
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token { return this.tokens[this.pos]; }
  private next(): Token { return this.tokens[this.pos++]; }
  private isOp(v: string): boolean { const t = this.peek(); return t.t === 'op' && t.v === v; }
  private isName(v: string): boolean { const t = this.peek(); return t.t === 'name' && t.v === v; }
  private expectOp(v: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== v) throw new SyntaxError(`expected ${v}`);
  }

  parseAll(): PyNode {
    const node = this.parseOr();
    if (this.peek().t !== 'end') throw new SyntaxError('trailing input');
    return node;
  }

  private parseOr(): PyNode {
    const operands = [this.parseAnd()];
    while (this.isName('or')) { this.next(); operands.push(this.parseAnd()); }
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  }

  private parseAnd(): PyNode {
    const operands = [this.parseNot()];
    while (this.isName('and')) { this.next(); operands.push(this.parseNot()); }
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  }

  private parseNot(): PyNode {
    if (this.isName('not')) { this.next(); return { kind: 'not', operand: this.parseNot() }; }
    return this.parseComparison();
  }

  private compareOp(): string | null {
    const t = this.peek();
    if (t.t === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(t.v)) { this.next(); return t.v; }
    if (t.t === 'name' && t.v === 'in') { this.next(); return 'in'; }
    if (t.t === 'name' && t.v === 'is') {
      this.next();
      if (this.isName('not')) { this.next(); return 'is not'; }
      return 'is';
    }
    if (t.t === 'name' && t.v === 'not' && this.tokens[this.pos + 1]?.t === 'name' && (this.tokens[this.pos + 1] as { v: string }).v === 'in') {
      this.pos += 2;
      return 'not in';
    }
    return null;
  }

  private parseComparison(): PyNode {
    const first = this.parseAdditive();
    const ops: string[] = [];
    const rest: PyNode[] = [];
    for (let op = this.compareOp(); op; op = this.compareOp()) {
      ops.push(op);
      rest.push(this.parseAdditive());
    }
    return ops.length ? { kind: 'compare', first, ops, rest } : first;
  }

  private parseAdditive(): PyNode {
    let node = this.parseUnary();
    while (this.isOp('+')) {
      this.next();
      const right = this.parseUnary();
      // Constant-fold string concatenation ('a' + 'b'), as the corpus uses it to split "--".
      node = node.kind === 'str' && right.kind === 'str' ? { kind: 'str', value: node.value + right.value } : { kind: 'add', left: node, right };
    }
    return node;
  }

  private parseUnary(): PyNode {
    if (this.isOp('-')) { this.next(); return { kind: 'neg', operand: this.parseUnary() }; }
    return this.parsePostfix();
  }

  private parsePostfix(): PyNode {
    let node = this.parseAtom();
    for (;;) {
      if (this.isOp('[')) {
        this.next();
        const index = this.parseOr();
        this.expectOp(']');
        node = { kind: 'subscript', target: node, index };
      } else if (this.isOp('.')) {
        this.next();
        const t = this.next();
        if (t.t !== 'name') throw new SyntaxError('expected attribute name');
        node = { kind: 'attr', target: node, name: t.v };
      } else if (this.isOp('(')) {
        this.next();
        const args: PyNode[] = [];
        while (!this.isOp(')')) {
          args.push(this.parseOr());
          if (!this.isOp(')')) this.expectOp(',');
        }
        this.next();
        node = { kind: 'call', target: node, args };
      } else {
        return node;
      }
    }
  }

  private parseAtom(): PyNode {
    const t = this.next();
    if (t.t === 'str') {
      let value = t.v;
      while (this.peek().t === 'str') value += (this.next() as { v: string }).v; // implicit concatenation
      return { kind: 'str', value };
    }
    if (t.t === 'num') return { kind: 'num', value: t.v };
    if (t.t === 'name') {
      if (t.v === 'None') return { kind: 'const', value: null };
      if (t.v === 'True') return { kind: 'const', value: true };
      if (t.v === 'False') return { kind: 'const', value: false };
      return { kind: 'name', name: t.v };
    }
    if (t.t === 'op' && t.v === '(') {
      if (this.isOp(')')) { this.next(); return { kind: 'tuple', items: [] }; }
      const first = this.parseOr();
      if (this.isOp(')')) { this.next(); return first; }
      const items = [first];
      while (this.isOp(',')) {
        this.next();
        if (this.isOp(')')) break;
        items.push(this.parseOr());
      }
      this.expectOp(')');
      return { kind: 'tuple', items };
    }
    if (t.t === 'op' && t.v === '[') {
      const items: PyNode[] = [];
      while (!this.isOp(']')) {
        items.push(this.parseOr());
        if (!this.isOp(']')) this.expectOp(',');
      }
      this.next();
      return { kind: 'list', items };
    }
    if (t.t === 'op' && t.v === '{') {
      const entries: [PyNode, PyNode][] = [];
      while (!this.isOp('}')) {
        const key = this.parseOr();
        this.expectOp(':');
        entries.push([key, this.parseOr()]);
        if (!this.isOp('}')) this.expectOp(',');
      }
      this.next();
      return { kind: 'dict', entries };
    }
    throw new SyntaxError(`unexpected token ${JSON.stringify(t)}`);
  }
}

/** Parses one Python expression; throws SyntaxError outside the supported subset. */
export function parsePython(src: string): PyNode {
  return new Parser(tokenize(src)).parseAll();
}

/** Python-ish source text of a node, for reports. */
export function pySource(node: PyNode): string {
  switch (node.kind) {
    case 'name': return node.name;
    case 'str': return `'${node.value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
    case 'num': return String(node.value);
    case 'const': return node.value === null ? 'None' : node.value ? 'True' : 'False';
    case 'tuple': return `(${node.items.map(pySource).join(', ')}${node.items.length === 1 ? ',' : ''})`;
    case 'list': return `[${node.items.map(pySource).join(', ')}]`;
    case 'dict': return `{${node.entries.map(([k, v]) => `${pySource(k)}: ${pySource(v)}`).join(', ')}}`;
    case 'subscript': return `${pySource(node.target)}[${pySource(node.index)}]`;
    case 'attr': return `${pySource(node.target)}.${node.name}`;
    case 'call': return `${pySource(node.target)}(${node.args.map(pySource).join(', ')})`;
    case 'not': return `not ${pySource(node.operand)}`;
    case 'neg': return `-${pySource(node.operand)}`;
    case 'add': return `${pySource(node.left)} + ${pySource(node.right)}`;
    case 'and': return node.operands.map(pySource).join(' and ');
    case 'or': return node.operands.map((o) => (o.kind === 'and' ? `(${pySource(o)})` : pySource(o))).join(' or ');
    case 'compare': return [pySource(node.first), ...node.ops.flatMap((op, i) => [op, pySource(node.rest[i])])].join(' ');
  }
}
