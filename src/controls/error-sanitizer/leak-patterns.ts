/**
 * Signatures of stack traces and framework debug pages in upstream error bodies. Each is
 * anchored on text a real trace has and a normal JSON error does not.
 */
export const LEAK_PATTERNS: readonly { name: string; re: RegExp }[] = [
  { name: 'node-stack', re: /\n\s+at [\w$.<>[\] ]+ \(?(?:file:\/\/|\/|[A-Z]:\\|node:)[^\n)]*:\d+:\d+\)?/ },
  { name: 'node-stack-json', re: /"stack"\s*:\s*"[^"]*\\n\s+at /i },
  { name: 'python-traceback', re: /Traceback \(most recent call last\)/ },
  { name: 'java-stack', re: /\n\s*at [a-zA-Z_$][\w$]*(?:\.[\w$<>]+)+\([\w$]+\.java:\d+\)/ },
  { name: 'java-exception', re: /\b(?:java|javax|org\.springframework|org\.hibernate)\.[\w.]+(?:Exception|Error)\b/ },
  { name: 'dotnet-stack', re: /\bat [\w.]+\(.*\) in .+:line \d+/ },
  { name: 'dotnet-yellow-screen', re: /Server Error in '.*' Application|System\.Web\.HttpException/ },
  { name: 'php-error', re: /(?:Fatal error|Warning|Parse error)<\/b>:|Stack trace:\s*\n#0 / },
  { name: 'ruby-stack', re: /\.rb:\d+:in `/ },
  { name: 'go-panic', re: /goroutine \d+ \[running\]:/ },
  { name: 'sql-error', re: /SQLSTATE\[|ORA-\d{5}|SQLITE_ERROR|syntax error at or near|You have an error in your SQL syntax/ },
  { name: 'debug-page', re: /Whitelabel Error Page|<title>[^<]*(?:Traceback|Exception|Error at \/|Werkzeug Debugger)/i },
];

export function findLeak(text: string): string | undefined {
  for (const p of LEAK_PATTERNS) if (p.re.test(text)) return p.name;
  return undefined;
}
