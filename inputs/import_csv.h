/*
 * import_csv: CSV software exports, columns mapped by header name.  One
 * file may describe many hosts; rows are grouped by host.
 *
 * Column sets (header names case-insensitive; spaces, '-', '_' and '.'
 * ignored, so "Device name", "DeviceName" and "device_name" are one name):
 *
 *   generic   host (hostname, device, computer, ...) or address, serial,
 *             mac, uuid; name (display name, software, ...); version;
 *             publisher (vendor); optional sector, site (location), owner,
 *             criticality, os, os version, jurisdiction (juris.h).
 *   GLPI      the search-engine export of computers with their software
 *             columns ("Name" is then the computer, "Software - Name" the
 *             package), ';'-separated by default, trailing empty column.
 *   Intune    "Discovered apps" raw data (AppInvRawData): ApplicationName,
 *             ApplicationVersion, ApplicationPublisher, DeviceName,
 *             DeviceId, OSDescription, OSVersion, Platform, UserName,
 *             EmailAddress, ...; desktop and mobile rows alike.
 *   Jamf Pro  advanced computer and mobile device search exports with
 *             application display fields: "Computer Name" or "Display
 *             Name" (the device, when an "Application Title" or "App
 *             Name" column names the app), "Serial Number", "Model",
 *             "Username", "Email Address", "App Version", "App
 *             Identifier" / "Bundle ID".
 *
 * On every kind: the user (email address, user name, full name) is the
 * host's owner; "Platform" and "Model" become system observations; an
 * app identifier column (bundle id, package id) becomes software.id.
 *
 * Every other column is ignored.  A header that names no software column
 * or no host column is refused with the columns it has.  The delimiter is
 * ',', ';' or tab, whichever the header row uses most.
 */
#ifndef BANAUDIT_IMPORT_CSV_H
#define BANAUDIT_IMPORT_CSV_H

#include <stddef.h>

#include "obs.h"
#include "host.h"

/* One host of the file, handed out before its observations. */
struct import_csv_host {
	unsigned	 line;		/* its first row */
	struct host_attrs h;		/* the host's, in the run */
	const char	*uuid;
	const char	*serial;
	const char	*mac;
};

/*
 * host() starts a host; the observe() calls that follow are its rows.
 * All strings are borrowed for the duration of the call.  A callback
 * returning -1 stops the parse (the caller keeps its own reason).
 */
struct import_csv_sink {
	void	*arg;
	int	(*host)(void *arg, const struct import_csv_host *);
	int	(*observe)(void *arg, const struct observation *);
};

struct import_csv_stats {
	const char	*kind;		/* "generic", "glpi", "intune" or
					   "jamf" */
	size_t		 rows;
	size_t		 hosts;
	size_t		 software;
};

/*
 * Parses len bytes at buf; name is used in messages.  The whole file is
 * checked before the first callback.  Returns 0, or -1 with
 * "NAME:LINE: message" in err.
 */
int	 import_csv_parse(const char *name, const char *buf, size_t len,
	    const struct import_csv_sink *, struct import_csv_stats *,
	    char *err, size_t errlen);

#endif
