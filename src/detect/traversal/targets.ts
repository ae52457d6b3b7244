/**
 * Files and directories that an application never has a reason to take from a request parameter,
 * but that a path traversal or file inclusion goes after first: account databases, process state,
 * keys, server and framework configuration, logs (log poisoning), Windows probe files. Written as
 * path fragments relative to wherever they live, so `/etc/passwd`, `../../etc/passwd`,
 * `..\..\etc\passwd` and `etc/passwd` all match; `S` is either separator.
 */
const S = '[/\\\\]';

/** Named files: the match must end at a name boundary (`/etc/passwd` yes, `/etc/passwdgen` no). */
const FILES = [
  // Unix account, host and boot configuration.
  `etc${S}(?:passwd|shadow|group|gshadow|master\\.passwd|subuid|subgid|sudoers|login\\.defs|hosts(?:\\.allow|\\.deny)?|hostname|issue|motd|fstab|mtab|exports|crontab|resolv\\.conf|nsswitch\\.conf|profile|bashrc|environment|shells|os-release|lsb-release|redhat-release|debian_version|machine-id|ld\\.so\\.(?:preload|conf)|sysctl\\.conf|my\\.cnf|krb5\\.conf|aliases|inetd\\.conf)`,
  // Process state through procfs: environment, command line, open files, memory map.
  `proc${S}(?:self|thread-self|\\d{1,7})${S}(?:environ|cmdline|maps|mem|status|stat|mounts|cwd|exe|root|fd)`,
  `proc${S}(?:version|cpuinfo|meminfo|mounts|kcore|kallsyms|sched_debug|interrupts|partitions|modules|devices|filesystems|iomem|ioports|loadavg|uptime|swaps|vmstat|zoneinfo|slabinfo|diskstats|config\\.gz|keys|net${S}(?:arp|tcp6?|udp6?|route|fib_trie|unix|dev))`,
  // Logs: read for secrets, or poisoned through a request header and then included.
  `(?:debug|errors?|access|php_errors?|catalina|laravel)[._]log`,
  // Private keys, credentials and shell histories in a home directory.
  `\\.ssh${S}(?:id_[a-z0-9]+|authorized_keys|known_hosts|config)`,
  `\\.(?:bash_history|zsh_history|sh_history|mysql_history|psql_history|bash_profile|bashrc|viminfo|netrc|pgpass|npmrc|pypirc|git-credentials|gitconfig)`,
  `\\.(?:aws|kube|docker|gnupg|azure|terraform\\.d)(?:${S}[\\w.-]+)?`,
  // Web server, framework and VCS metadata next to the document root.
  `\\.(?:htaccess|htpasswd|htdigest|user\\.ini)`,
  `\\.env(?:\\.[a-z]{2,12})?`,
  `\\.git${S}(?:config|HEAD|index|logs|refs)`,
  `\\.svn${S}(?:entries|wc\\.db)`,
  `web\\.config`,
  `WEB-INF${S}(?:web\\.xml|classes|lib|jboss-web\\.xml)`,
  `META-INF${S}(?:MANIFEST\\.MF|context\\.xml)`,
  `wp-config\\.php`,
  `LocalSettings\\.php`,
  // Windows probe files and registry hives.
  `(?:win|system|boot)\\.ini`,
  `(?:autoexec\\.bat|pagefile\\.sys|hiberfil\\.sys|ntuser\\.dat)`,
  `system32${S}(?:config${S}(?:sam|system|security|software)|drivers${S}etc${S}hosts)`,
  `(?:windows|winnt)${S}(?:repair${S}sam|panther${S}unattend(?:ed)?\\.xml|debug${S}netsetup\\.log|php\\.ini)`,
];

/** Directories: anything under them is sensitive. */
const DIRS = [
  `var${S}(?:log|mail|spool${S}cron|run${S}secrets|lib${S}(?:mysql|pgsql|php${S}sessions?))`,
  `etc${S}(?:ssh|ssl|pki|apache2?|httpd|nginx|php\\d?|mysql|security|cron\\.d|init\\.d|pam\\.d|sysconfig)`,
  `sys${S}(?:kernel|class|devices|firmware|module|power|fs|block|bus)`,
  `proc${S}(?:self|\\d{1,7})${S}(?:fd|task|net)`,
  `(?:windows|winnt)${S}system32`,
  `inetpub${S}(?:wwwroot|logs)`,
];

/**
 * A target starts and ends at a name boundary: `etc` inside `fetch/` or `.env` inside `my.env` is
 * not one, nor is `/etc/passwdgen`.
 */
export const SENSITIVE_TARGET = new RegExp(`(?<![\\w-])(?:${[...FILES, ...DIRS].join('|')})(?![\\w-])`, 'i');

/**
 * Any file under `/etc/`, or under the world-writable `/tmp/`, `/var/tmp/`, `/dev/shm/` where uploads
 * and PHP sessions land before they are included, when the value starts an absolute path there
 * (`/etc/x`, `cat /etc/x`, `>/tmp/x`): no API takes a host path like these. Inside a longer path
 * (`/shop/etc/`) it is just a directory name.
 */
export const HOST_PATH = /(?:^|[\s='"<>(])[/\\](?:etc|tmp|var[/\\]tmp|dev[/\\]shm)[/\\][\w.-]/i;

/**
 * A database dump or an editor's backup of server source (`backup.sql.gz`, `index.php.bak`): served
 * as a static file it discloses data or code. The name must end the value or a path segment.
 */
export const BACKUP_FILE = /[\w-]\.(?:sql(?:\.(?:gz|zip|bz2|xz|7z|tar))?|(?:php\d?|aspx?|jsp|py|rb|conf|config|ini|env|ya?ml)\.(?:bak|old|orig|save|swp|sav))(?=$|[/\\?#\0])/i;

/**
 * A hidden file or directory as an absolute path segment (`/.claude/settings.json`, `/app/.cursor/x`):
 * editor, agent and tool state that a web root should never serve. `.well-known` is the one hidden
 * directory the web uses on purpose.
 */
export const HIDDEN_PATH = /^(?:[/\\~]|[a-z]:\\)(?:[\w.-]*[/\\])*?\.(?!well-known(?![\w-]))[a-z0-9][\w-]*(?:[/\\]|$)/i;
