/*
 * genfleet: writes a synthetic fleet of .snmprec files for benchmarks and
 * scale tests.
 *
 *   genfleet [-n HOSTS] [-m ROWS] [-p PROCS] [-b EVERY] [-s SEED] DIR
 *
 * Host k (1..HOSTS) becomes DIR/hostNNNNN.snmprec, so that the files sort
 * in host order (snmpresp --dir maps the N-th file to the N-th address).
 * Each has the system group, a hrSWInstalledTable of ROWS packages and a
 * hrSWRunTable of PROCS processes, in the form net-snmp's agent gives them:
 * "package-version" on Debian (dpkg), "name-version-release" on RHEL-like
 * hosts (every fourth), with dates as those agents write them.  Every
 * EVERY-th host (0: none) carries Kaspersky Endpoint Security for Linux
 * ("kesl-12.1.0-1297", processes kesl and klnagent); every second of those
 * also the Kaspersky Network Agent.  DIR/MANIFEST lists the banned items
 * per file, one "FILE<TAB>ITEM" line each.  The output depends only on the
 * arguments.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define SYS	"1.3.6.1.2.1.1"
#define RUN	"1.3.6.1.2.1.25.4.2.1"
#define INST	"1.3.6.1.2.1.25.6"

static const char *const stems[] = {
	"ssl", "xml2", "curl", "bz2", "lzma", "systemd", "dbus", "glib2.0",
	"pango", "cairo", "png16", "jpeg62", "tiff", "ffi", "gmp", "mpfr",
	"pcre2", "idn2", "uuid", "blkid", "mount", "cap2", "acl", "attr",
	"audit", "pam", "krb5", "gssapi", "ldap", "sasl2", "nss", "nspr",
	"sqlite3", "db5.3", "gdbm", "readline", "ncurses", "tinfo", "expat",
	"yaml", "json-c", "jansson", "event", "ev", "uv", "nghttp2",
	"brotli", "zstd", "lz4", "snappy", "protobuf", "grpc", "boost",
	"icu", "harfbuzz", "freetype", "fontconfig", "x11", "xcb", "xext",
	"drm", "gbm", "wayland", "input", "udev", "usb", "pci", "sensors",
	"snmp", "netfilter", "mnl", "nl-3", "pcap", "ssh", "gnutls",
	"gcrypt", "gpg-error", "ksba", "assuan", "tasn1", "p11-kit",
	"hogweed", "nettle", "seccomp", "selinux", "semanage", "sepol",
	"apparmor", "kmod", "elf", "dw", "unwind", "bpf", "xtables", "ip4tc",
	"modbus", "opcua", "mosquitto", "paho-mqtt", "dnp3", "iec61850",
};

static const char *const forms[] = {
	"lib%s", "lib%s-dev", "%s-utils", "lib%s-common", "python3-%s",
	"lib%s-perl", "golang-%s-dev", "node-%s", "ruby-%s", "lib%s-doc",
	"%s-tools", "lib%s-dbg",
};

struct proc {
	const char	*name;
	const char	*path;
	const char	*params;
};

static const struct proc procs[] = {
	{ "systemd", "/sbin/init", "" },
	{ "kthreadd", "", "" },
	{ "rcu_gp", "", "" },
	{ "kworker/0:1", "", "" },
	{ "ksoftirqd/0", "", "" },
	{ "migration/0", "", "" },
	{ "systemd-journal", "/lib/systemd/systemd-journald", "" },
	{ "systemd-udevd", "/lib/systemd/systemd-udevd", "" },
	{ "systemd-network", "/lib/systemd/systemd-networkd", "" },
	{ "systemd-resolve", "/lib/systemd/systemd-resolved", "" },
	{ "systemd-logind", "/lib/systemd/systemd-logind", "" },
	{ "dbus-daemon", "/usr/bin/dbus-daemon",
	    "--system --address=systemd: --nofork --nopidfile" },
	{ "cron", "/usr/sbin/cron", "-f" },
	{ "rsyslogd", "/usr/sbin/rsyslogd", "-n -iNONE" },
	{ "sshd", "/usr/sbin/sshd", "-D" },
	{ "chronyd", "/usr/sbin/chronyd", "-F 1" },
	{ "snmpd", "/usr/sbin/snmpd", "-LOw -u Debian-snmp -g Debian-snmp "
	    "-I -smux mteTrigger mteTriggerConf -f -p /run/snmpd.pid" },
	{ "agetty", "/sbin/agetty", "-o -p -- \\u --noclear - linux" },
	{ "nginx", "/usr/sbin/nginx", "-g daemon on; master_process on;" },
	{ "nginx", "/usr/sbin/nginx", "" },
	{ "postgres", "/usr/lib/postgresql/15/bin/postgres",
	    "-D /var/lib/postgresql/15/main" },
	{ "postgres", "/usr/lib/postgresql/15/bin/postgres", "" },
	{ "mosquitto", "/usr/sbin/mosquitto",
	    "-c /etc/mosquitto/mosquitto.conf" },
	{ "telegraf", "/usr/bin/telegraf",
	    "-config /etc/telegraf/telegraf.conf" },
	{ "zabbix_agentd", "/usr/sbin/zabbix_agentd", "--foreground" },
	{ "python3", "/usr/bin/python3", "/opt/scada/bin/poller.py" },
	{ "java", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
	    "-Xmx512m -jar /opt/historian/historian.jar" },
	{ "containerd", "/usr/bin/containerd", "" },
	{ "dockerd", "/usr/bin/dockerd",
	    "-H fd:// --containerd=/run/containerd/containerd.sock" },
	{ "polkitd", "/usr/libexec/polkitd", "--no-debug" },
	{ "bash", "/bin/bash", "" },
	{ "sudo", "/usr/bin/sudo", "-i" },
	{ "ntpd", "/usr/sbin/ntpd", "-p /var/run/ntpd.pid -g -u 105:111" },
	{ "openvpn", "/usr/sbin/openvpn", "--config /etc/openvpn/site.conf" },
	{ "haveged", "/usr/sbin/haveged", "--Foreground --verbose=1" },
	{ "irqbalance", "/usr/sbin/irqbalance", "--foreground" },
	{ "multipathd", "/sbin/multipathd", "-d -s" },
	{ "udisksd", "/usr/libexec/udisks2/udisksd", "" },
	{ "auditd", "/sbin/auditd", "" },
	{ "lldpd", "/usr/sbin/lldpd", "" },
};

struct host {
	unsigned	 k;
	int		 rpm;
	int		 kesl;		/* carries kesl + klnagent processes */
	int		 klnagent;	/* carries the Network Agent package */
	unsigned	 rows;
	unsigned	 nproc;
};

static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Writes the name of package row r (0-based) into buf. */
static void
package_name(unsigned r, char *buf, size_t len)
{
	unsigned ns = (unsigned)NELEM(stems), nf = (unsigned)NELEM(forms);
	unsigned stem = r % ns, form = (r / ns) % nf, gen = r / (ns * nf);
	char base[96];

	snprintf(base, sizeof(base), forms[form], stems[stem]);
	if (gen > 0)
		snprintf(buf, len, "%s%u", base, gen + 1);
	else
		snprintf(buf, len, "%s", base);
}

/* The installed-software name of row r on host h, as the agent shows it. */
static void
package_row(const struct host *h, unsigned r, uint64_t seed, char *buf,
    size_t len)
{
	uint64_t v = mix(seed ^ ((uint64_t)r << 20));
	unsigned major = (unsigned)(v % 9) + 1, minor = (unsigned)(v >> 8) % 30;
	unsigned patch = (unsigned)(v >> 16) % 20;
	char name[112];

	/* One host in ten is a patch level ahead on one package in seven. */
	if ((h->k + r) % 7 == 0 && h->k % 10 == 3)
		patch++;
	if (h->kesl && r == h->rows / 3) {
		snprintf(buf, len, "kesl-12.1.0-1297");
		return;
	}
	if (h->klnagent && r == h->rows / 2) {
		snprintf(buf, len, "klnagent64-14.2.0-26967");
		return;
	}
	package_name(r, name, sizeof(name));
	if (h->rpm)
		snprintf(buf, len, "%s-%u.%u.%u-%u.el8", name, major, minor,
		    patch, (unsigned)(v >> 24) % 12 + 1);
	else
		snprintf(buf, len, "%s-%u.%u.%u-%u%s", name, major, minor,
		    patch, (unsigned)(v >> 24) % 4 + 1,
		    (v >> 32) % 5 == 0 ? "+deb12u1" : "");
}

static int
write_host(FILE *f, const struct host *h, uint64_t seed)
{
	char name[160];
	unsigned r, c, pid[NELEM(procs) + 8], np = h->nproc, i;
	uint64_t v;

	fprintf(f, SYS ".1.0|4|Linux host%05u %s x86_64\n", h->k, h->rpm ?
	    "4.18.0-513.5.1.el8_9.x86_64 #1 SMP Fri Sep 29 05:21:10 EDT 2023" :
	    "6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 "
	    "(2024-02-01)");
	fprintf(f, SYS ".2.0|6|1.3.6.1.4.1.8072.3.2.10\n");
	fprintf(f, SYS ".3.0|67|%u\n",
	    (unsigned)(mix(seed ^ h->k) % 900000000));
	fprintf(f, SYS ".4.0|4|ot-operations@example.org\n");
	fprintf(f, SYS ".5.0|4|host%05u\n", h->k);
	fprintf(f, SYS ".6.0|4|Site %u, rack %u\n", h->k / 64 + 1,
	    h->k % 64 / 8 + 1);
	fprintf(f, SYS ".7.0|2|72\n");

	/* hrSWRunTable: PIDs ascending, the banned agents among them. */
	if (np > NELEM(procs))
		np = NELEM(procs);
	v = mix(seed ^ ((uint64_t)h->k << 32));
	for (i = 0, c = 1; i < np + 2; i++) {
		c += (unsigned)(mix(v + i) % 400) + 1;
		pid[i] = c;
	}
	for (c = 1; c <= 7; c++) {
		for (i = 0; i < np + (h->kesl ? 2 : 0); i++) {
			const struct proc *p = i < np ? &procs[i] : NULL;
			const char *pn = p ? p->name : i == np ? "kesl" :
			    "klnagent";
			const char *pp = p ? p->path : i == np ?
			    "/opt/kaspersky/kesl/libexec/kesl" :
			    "/opt/kaspersky/klnagent64/sbin/klnagent";

			fprintf(f, RUN ".%u.%u|", c, pid[i]);
			switch (c) {
			case 1: fprintf(f, "2|%u\n", pid[i]); break;
			case 2: fprintf(f, "4|%s\n", pn); break;
			case 3: fprintf(f, "6|0.0\n"); break;
			case 4: fprintf(f, "4|%s\n", pp); break;
			case 5: fprintf(f, "4|%s\n", p ? p->params : ""); break;
			case 6: fprintf(f, "2|%d\n", pp[0] ? 4 : 2); break;
			case 7: fprintf(f, "2|%d\n", i % 5 == 0 ? 1 : 2); break;
			}
		}
	}

	/* hrSWInstalledLastChange, LastUpdateTime, then the table. */
	fprintf(f, INST ".1.0|67|%u\n", 4200 + h->k);
	fprintf(f, INST ".2.0|4x|07e80b1b0c1e0000\n");
	for (c = 1; c <= 5; c++) {
		for (r = 0; r < h->rows; r++) {
			fprintf(f, INST ".3.1.%u.%u|", c, r + 1);
			switch (c) {
			case 1:
				fprintf(f, "2|%u\n", r + 1);
				break;
			case 2:
				package_row(h, r, seed, name, sizeof(name));
				fprintf(f, "4|%s\n", name);
				break;
			case 3:
				fprintf(f, "6|0.0\n");
				break;
			case 4:
				fprintf(f, "2|%d\n", r % 11 == 0 ? 2 : 4);
				break;
			case 5:
				/* dpkg has no dates; rpm has install times. */
				if (h->rpm)
					fprintf(f, "4x|07e7%02x%02x%02x%02x"
					    "0000\n", (r % 12) + 1,
					    (r % 28) + 1, r % 24, r % 60);
				else
					fprintf(f, "4x|0000010100000000\n");
				break;
			}
		}
	}
	return ferror(f) ? -1 : 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: genfleet [-n HOSTS] [-m ROWS] [-p PROCS] "
	    "[-b EVERY] [-s SEED] DIR\n");
}

int
main(int argc, char *argv[])
{
	long hosts = 256, rows = 1000, nproc = 36, every = 16, seed = 1;
	char path[4096];
	struct host h;
	FILE *f, *man = NULL;
	long k;
	int c;

	while ((c = getopt(argc, argv, "n:m:p:b:s:")) != -1) {
		long *dst = c == 'n' ? &hosts : c == 'm' ? &rows :
		    c == 'p' ? &nproc : c == 'b' ? &every : c == 's' ? &seed :
		    NULL;

		if (dst == NULL || parse_long(optarg, 0, 10000000, dst) == -1) {
			usage();
			return 2;
		}
	}
	if (optind + 1 != argc || hosts < 1 || hosts > 99999) {
		usage();
		return 2;
	}
	if (mkdir(argv[optind], 0755) == -1 && errno != EEXIST) {
		fprintf(stderr, "genfleet: %s: %s\n", argv[optind],
		    strerror(errno));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/MANIFEST", argv[optind]);
	man = fopen(path, "w");
	if (man == NULL) {
		fprintf(stderr, "genfleet: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (k = 1; k <= hosts; k++) {
		memset(&h, 0, sizeof(h));
		h.k = (unsigned)k;
		h.rpm = k % 4 == 3;
		h.kesl = every > 0 && k % every == every / 2;
		h.klnagent = h.kesl && (k / every) % 2 == 0;
		h.rows = (unsigned)rows;
		h.nproc = (unsigned)nproc;
		snprintf(path, sizeof(path), "%s/host%05ld.snmprec",
		    argv[optind], k);
		f = fopen(path, "w");
		if (f == NULL) {
			fprintf(stderr, "genfleet: %s: %s\n", path,
			    strerror(errno));
			fclose(man);
			return 1;
		}
		if (write_host(f, &h, (uint64_t)seed) == -1 || fclose(f) != 0) {
			fprintf(stderr, "genfleet: %s: write error\n", path);
			fclose(man);
			return 1;
		}
		if (h.kesl && rows > 0)
			fprintf(man, "host%05ld.snmprec\tkesl-12.1.0-1297\n",
			    k);
		if (h.kesl)
			fprintf(man, "host%05ld.snmprec\tprocess kesl\n", k);
		if (h.klnagent && rows > 1)
			fprintf(man, "host%05ld.snmprec\t"
			    "klnagent64-14.2.0-26967\n", k);
	}
	if (fclose(man) != 0) {
		fprintf(stderr, "genfleet: MANIFEST: write error\n");
		return 1;
	}
	return 0;
}
