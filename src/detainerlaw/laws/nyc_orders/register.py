"""The mayoral-orders layer's interpretation register: what the orders are read to say where
their text was not read, with the parameter that flips each reading."""

REGISTER: dict[str, str] = {
    "EO41-1": "Executive Order 41 of 2003 (signed 2003-09-17; with EO 34 of 2003) is read from summaries: city staff "
    "keep immigration status and other sensitive information confidential and disclose status only where "
    "required by law or to investigate illegal activity other than mere undocumented status. Still in force "
    "(no rescission found); it binds every city agency and gives no one a right to sue.",
    "EO41-2": "The illegal-activity exception is read from the request's purpose: a request for a criminal "
    "investigation (criminal_immigration or criminal_other) falls within it, a civil immigration request does not. "
    "Parameter eo41_criminal_investigation_exception (false: only a legal duty opens status information).",
    "EO41-3": "EO 41's other confidential information (sexual orientation, victim or witness status, public "
    "assistance, tax records) is not decided: the case does not record whether the information asked for is such.",
    "EO13-1": "Executive Order 13 of 2026 (signed 2026-02-06) is applied as reported: no sharing of information "
    "collected for city purposes with federal immigration authorities except as required by law, and no entry into "
    "non-public areas of city property without a judicial warrant. Its text, exceptions and definitions were not "
    "read. Parameter eo13_read_as_reported (false: the order decides nothing).",
    "EO13-2": "Every kind of information a city agency holds (release and court dates, custody status, status, other) "
    "is read as 'collected for city purposes'.",
    "EO13-3": "A 'judicial warrant' for access is read as a judge's warrant authorizing the arrest, entry or search "
    "(request.judicial_warrant or request.access_warrant), as § 4-210 reads it.",
    "Q-F3": "An order's confidentiality rule is void as applied to status information sent to federal immigration "
    "authorities (8 U.S.C. § 1373; City of New York v. United States, 2d Cir. 1999, on EO 124): the federal "
    "layer's status rule displaces it, so the combined answer is permitted. Whether a general confidentiality "
    "policy would survive is untested.",
    "EO-50": "Executive Order 50 of 2025 (2025-04-08; an ICE office on Rikers Island for criminal investigations) is "
    "not in this layer: the city pack models it with § 9-131(h)(2), the proviso that let a mayor's order authorize "
    "the office, with the injunctions and the ruling that it was null and void, and LL 63/2026's repeal of the "
    "proviso.",
}
