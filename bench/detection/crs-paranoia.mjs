// Paranoia level of each OWASP CRS rule whose regression tests the detection benches replay. The
// regression tests (the corpus) do not carry it; it comes from the `tag:'paranoia-level/N'` action of
// each rule in the CRS rule files (coreruleset/coreruleset, rules/REQUEST-9xx-*.conf), read on
// 2026-12-03 from these stored versions (the rule files were not all at one version):
//   930 LFI 4.25.0-dev (000bd42f), 931 RFI 4.13.0-dev (c7a5ca84), 932 RCE 4.23.0-dev (00ae2fa2),
//   933 PHP 4.15.0-dev (32019a8f), 934 GENERIC 4.13.0-dev (602b32fa), 941 XSS 4.31.0-dev (00d2c783),
//   944 JAVA 4.31.0-dev (06db0f7b).
// Rules the corpus tests (CRS 4.28) but those files did not hold are marked `?`: their level is the
// one their neighbours and test descriptions suggest, not read from a rule file.
// Only ids and levels: nothing of the rules themselves is used anywhere.

/** @type {Readonly<Record<number, number>>} */
export const CRS_PARANOIA = Object.freeze({
  930100: 1, 930110: 1, 930120: 1, 930121: 2, 930130: 1, 930140: 1,
  931100: 1, 931110: 1, 931120: 1, 931130: 2, 931131: 2,
  932120: 1, 932125: 1, 932130: 1, 932131: 2, 932140: 1, 932160: 1, 932161: 2, 932170: 1, 932171: 1,
  932175: 1, 932180: 1, 932190: 3, 932200: 2, 932205: 2, 932206: 2, 932207: 2, 932210: 2, 932220: 2,
  932230: 1, 932231: 2, 932232: 3, 932235: 1, 932236: 2, 932237: 3, 932238: 3, 932239: 2, 932240: 2,
  932250: 1, 932260: 1, 932261: 1, 932262: 3, 932270: 1, 932271: 2, 932280: 1, 932281: 2, 932300: 2,
  932301: 3, 932310: 2, 932311: 3, 932320: 2, 932321: 3, 932330: 1, 932331: 3, 932370: 1, 932371: 2,
  932380: 1,
  932290: 4 /* ? */, 932340: 1 /* ? */, 932350: 3 /* ? */, 932390: 1 /* ? */,
  933100: 1, 933110: 1, 933111: 3, 933120: 1, 933130: 1, 933131: 3, 933135: 1, 933140: 1, 933150: 1,
  933151: 2, 933160: 1, 933161: 3, 933170: 1, 933180: 1, 933190: 3, 933200: 1, 933210: 1, 933211: 3,
  933152: 2 /* ? */, 933153: 3 /* ? */, 933220: 1 /* ? */,
  934100: 1, 934101: 2, 934110: 1, 934120: 2, 934130: 1, 934140: 2, 934150: 1, 934160: 1, 934170: 1,
  934180: 2 /* ? */, 934190: 1 /* ? */, 934200: 1 /* ? */, 934210: 3 /* ? */, 934220: 2 /* ? */,
  941100: 1, 941101: 2, 941110: 1, 941120: 1, 941130: 1, 941140: 1, 941150: 2, 941160: 1, 941170: 1,
  941180: 1, 941181: 2, 941190: 1, 941200: 1, 941210: 1, 941220: 1, 941230: 1, 941240: 1, 941250: 1,
  941260: 1, 941270: 1, 941280: 1, 941290: 1, 941300: 1, 941310: 1, 941320: 2, 941330: 2, 941340: 2,
  941350: 1, 941360: 1, 941370: 1, 941380: 2, 941390: 1, 941400: 1,
  944100: 1, 944110: 1, 944120: 1, 944130: 1, 944140: 1, 944150: 1, 944151: 2, 944152: 4, 944200: 2,
  944210: 2, 944240: 2, 944250: 2, 944260: 2, 944300: 3,
});

/** The paranoia level of a CRS rule id, or undefined when the table does not know it. */
export const crsParanoia = (ruleId) => CRS_PARANOIA[Number(ruleId)];
