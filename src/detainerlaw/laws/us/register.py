"""The federal layer's interpretation register: where the federal sources are read one way
among several, the reading the pack follows by default (a parameter in params.yaml lets a
reform flip it). Codes Q-* follow the open questions of the reference note on New York State
and federal law (§ 5); a decision that went through a reading reports its code."""

REGISTER: dict[str, str] = {
    "US-287": "8 C.F.R. 287.7 is encoded in its 1997 text (a detainer is a request; custody for at most 48 hours, "
    "excluding Saturdays, Sundays and US federal holidays, after the person would otherwise be released); the "
    "current eCFR wording and the exact effective date (parameter cfr_287_7_from, default 1997-04-01) were not "
    "verified. A permitted hold reports the end of that period as `until` (parameter hold_cap_as_until). The "
    "Fourth Amendment point that a hold is a new seizure needing probable cause (Miranda-Olivares v. Clackamas "
    "County, D. Or. 2014) is not a rule: it binds no court in New York, where state law decides (Wells).",
    "US-REQ": "request.required_by_law is read as process of a federal court (a writ, subpoena or order) addressed to "
    "the agency as custodian: the federal layer then makes the response `required`, which displaces lower "
    "prohibitions. No federal statute or regulation otherwise commands a state or local agency to hold, notify, "
    "share or give access (8 C.F.R. 287.7(a); 8 U.S.C. § 1357(g)(9); Galarza v. Szalczyk, 3d Cir. 2014). "
    "Parameter custodian_process_required.",
    "Q-F1": "8 U.S.C. §§ 1373 and 1644 are treated as valid where the place lies (within the Second Circuit: City of "
    "New York v. United States, 179 F.3d 29 (1999); New York v. U.S. Dep't of Justice, 951 F.3d 84 (2020)), "
    "though district courts elsewhere held § 1373 unconstitutional after Murphy v. NCAA (2018). Sending or "
    "receiving citizenship or immigration status information is permitted and any state or city restriction on "
    "it is void; nothing makes it required. Parameter status_sharing_protected.",
    "Q-F2": "Release dates, court dates, custody status and addresses are not 'information regarding ... "
    "immigration status' (United States v. California, 921 F.3d 865 (9th Cir. 2019); DOJ reads them in; the "
    "Second Circuit has not decided): § 1373 does not save them, and state or city restrictions on them stand. "
    "Parameter status_includes_custody_information.",
    "Q-F3": "A city executive order's confidentiality rule (EO 41 of 2003, EO 13 of 2026) is void as applied to "
    "status information sent to federal immigration authorities, like EO 124 (1989); whether a general "
    "confidentiality policy would survive is untested. Follows from Q-F1: the federal status rule preempts.",
}
