/**
 * Command names the detector knows. A name is `strong` when it is almost never an English word
 * (`whoami`, `wget`, `powershell`): after a separator it is an injection on its own. A `weak` name
 * is also a word (`cat`, `find`, `type`, `date`), so it only counts with shell-looking arguments.
 */
export type Strength = 'strong' | 'weak';

const STRONG = [
  // Unix: recon, shells, interpreters, downloaders, network tools
  'id', 'whoami', 'uname', 'ls', 'pwd', 'ifconfig', 'netstat', 'hostname', 'lsof', 'lastlog', 'lastlogin', 'htop', 'printenv',
  'sh', 'bash', 'zsh', 'ksh', 'csh', 'tcsh', 'dash', 'rbash', 'busybox', 'sudo', 'chroot', 'nohup',
  'python', 'perl', 'ruby', 'php', 'lua', 'irb', 'gcc', 'c89', 'c99', 'tclsh', 'node', 'jrunscript',
  'nc', 'ncat', 'netcat', 'socat', 'telnet', 'wget', 'curl', 'tftp', 'nmap', 'nslookup', 'ssh', 'scp', 'sftp', 'rsync',
  'chmod', 'chown', 'chgrp', 'chattr', 'rm', 'passwd', 'useradd', 'usermod', 'adduser', 'addgroup', 'deluser',
  'ssh-keygen', 'ssh-keyscan', 'ssh-copy-id', 'ssh-add', 'ssh-agent', 'crontab', 'mkfifo', 'mknod', 'visudo',
  'base64', 'base32', 'xxd', 'hexdump', 'awk', 'gawk', 'nawk', 'mawk', 'sed', 'grep', 'egrep', 'fgrep', 'xargs',
  'gunzip', 'zcat', 'bzcat', 'xzcat', 'zstdcat', 'unxz', 'bunzip2', 'tar', 'openssl', 'strace', 'ltrace', 'gdb',
  'iptables', 'systemctl', 'killall', 'pkill', 'sysctl', 'getent', 'ansible', 'kubectl', 'cpulimit', 'flock',
  'traceroute', 'tcpdump', 'dmesg', 'lsmod', 'insmod', 'modprobe', 'setfacl', 'getfacl', 'ldd', 'readelf',
  'timeout', 'xterm', 'eval', 'exec', 'uudecode', 'uuencode', 'sqlite3', 'mysql', 'psql',
  'apt', 'apt-get', 'aptitude', 'yum', 'dnf', 'rpm', 'dpkg', 'bsdtar', 'rmt', 'cscli', 'chef', 'aa-disable',
  // Windows cmd, PowerShell and living-off-the-land binaries
  'cmd', 'powershell', 'pwsh', 'certutil', 'bitsadmin', 'mshta', 'rundll32', 'regsvr32', 'wmic', 'regedit',
  'netsh', 'schtasks', 'tasklist', 'taskkill', 'systeminfo', 'ipconfig', 'bcdboot', 'bcdedit', 'vssadmin',
  'wscript', 'cscript', 'msiexec', 'icacls', 'cacls', 'findstr', 'tracert', 'wevtutil', 'cmstp', 'forfiles',
  'installutil', 'msbuild', 'regasm', 'regsvcs', 'odbcconf', 'esentutl', 'expand', 'makecab', 'diskshadow',
  'iex', 'iwr', 'irm', 'iwmi', 'invoke-expression', 'invoke-webrequest', 'invoke-restmethod', 'invoke-command',
  'invoke-item', 'invoke-wmimethod', 'start-process', 'new-object', 'set-executionpolicy', 'get-wmiobject',
  'get-content', 'get-childitem', 'get-process', 'downloadstring', 'downloadfile',
];

const WEAK = [
  'cat', 'tac', 'nl', 'od', 'head', 'tail', 'more', 'less', 'strings', 'sort', 'uniq', 'cut', 'tr', 'wc', 'rev', 'tee',
  'find', 'locate', 'which', 'whereis', 'who', 'last', 'top', 'free', 'df', 'du', 'ps', 'kill', 'env', 'set',
  'export', 'echo', 'printf', 'touch', 'mkdir', 'rmdir', 'cd', 'cp', 'mv', 'ln', 'dd', 'file', 'stat', 'diff',
  'time', 'date', 'll', 'sleep', 'watch', 'ping', 'dig', 'host', 'whois', 'ftp', 'mail', 'column', 'fold', 'comm', 'paste',
  'split', 'join', 'perf', 'vi', 'vim', 'nano', 'emacs', 'docker', 'git', 'make', 'zip', 'unzip', 'gzip', 'ip',
  'type', 'dir', 'copy', 'del', 'erase', 'move', 'net', 'reg', 'start', 'ver', 'attrib', 'shutdown',
  'tree', 'xcopy', 'robocopy', 'shell', 'system', 'source', 'alias', 'script', 'trap', 'bridge',
];

export const COMMANDS: ReadonlyMap<string, Strength> = new Map<string, Strength>([
  ...WEAK.map((c) => [c, 'weak'] as const),
  ...STRONG.map((c) => [c, 'strong'] as const),
]);

/** Directory names that hold binaries: a path through them names a program, not a document. */
export const BIN_DIRS = new Set(['bin', 'sbin', 'usr', 'local', 'opt', 'system32', 'syswow64', 'windows', 'wbem', 'windowspowershell', 'v1.0', 'winnt']);

/** Top-level Unix directories an attacker reads from or runs out of. */
export const ROOT_DIRS = new Set(['etc', 'bin', 'sbin', 'usr', 'proc', 'dev', 'tmp', 'var', 'root', 'home', 'boot', 'sys', 'lib', 'opt']);

/** Programs that run the next word as a command (`time sh -c …`, `nohup nc …`). */
export const WRAPPERS = new Set(['time', 'nohup', 'sudo', 'env', 'exec', 'command', 'builtin', 'nice', 'timeout', 'xargs', 'busybox', 'strace', 'eval']);

/** A value that is only one of these names is a probe (`whoami`, `ifconfig`), not data. */
export const BARE = new Set(['visudo', 'whoami', 'ifconfig', 'ipconfig', 'uname', 'netstat', 'systeminfo', 'tasklist', 'lastlog', 'printenv']);

/** Network tools, whose typical argument is a bare host name. */
export const NETWORK = new Set(['curl', 'wget', 'nc', 'ncat', 'netcat', 'telnet', 'ssh', 'ping', 'nslookup', 'ftp', 'tftp', 'nmap', 'dig', 'host', 'tracert', 'traceroute', 'mshta', 'iwr', 'invoke-webrequest', 'irm', 'invoke-restmethod']);

/**
 * Strong names that still start ordinary values (`python tutorial`, `id card`, `node version`): as a
 * value's first word they need shell-looking arguments, not just any words.
 */
export const WORDY = new Set(['id', 'ls', 'sh', 'rm', 'python', 'perl', 'ruby', 'php', 'lua', 'node', 'gcc', 'mysql', 'psql',
  'sqlite3', 'exec', 'eval', 'expand', 'timeout', 'flock', 'sudo', 'grep', 'awk', 'sed', 'tar', 'ssh', 'rsync', 'curl', 'wget',
  'chef', 'apt', 'cmd', 'iex', 'irb', 'dash', 'zsh', 'bash', 'chroot', 'crontab', 'passwd', 'xargs', 'nohup', 'busybox', 'kubectl',
  'ansible', 'powershell', 'docker', 'openssl', 'nmap', 'telnet', 'scp', 'sftp', 'rpm', 'yum', 'dnf', 'dpkg', 'tcpdump', 'gdb']);
