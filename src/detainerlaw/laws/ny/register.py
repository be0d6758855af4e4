"""The New York State layer's interpretation register: the reading the pack follows where the
state sources are open, with the parameter that flips it, and the state laws the pack does
not yet decide (with the facts they need). Codes Q-* follow the open questions of the
reference note on New York State and federal law (§ 5)."""

REGISTER: dict[str, str] = {
    "Q-W1": "A warrant of an Article III judge or federal magistrate judge, presented with the detainer or before the "
    "person would otherwise be released, makes the hold lawful under state law, as the Attorney General reads Wells "
    "(unlawful 'without a judicial warrant'). Uncertain: Wells holds that New York law gives local officers no "
    "power to make civil immigration arrests at all, and a federal warrant directed to ICE may not create one. "
    "Parameter judicial_warrant_supplies_authority (false: every such hold is prohibited).",
    "Q-W1b": "A judicial warrant presented after the time the person would otherwise have been released does not make "
    "the wait for it lawful: the hold decided at that time is prohibited under state law, whatever city law "
    "allows while waiting (e.g. the NYPD period of § 14-154(b)(2)).",
    "Q-W2": "A 287(g) agreement does not supply the authority Wells found missing, so its arrest and hold functions "
    "are prohibited under state law (the Attorney General's 2020 letter as the Council recites it; NYCLU's 2025 suit "
    "against Nassau County, outcome unknown). A request of kind agreement_287g is read as including those "
    "functions. Parameter agreement_287g_supplies_authority (true: state law does not govern the agreement).",
    "Q-W3": "Handing the person to federal immigration authorities at the very moment of release, adding no custody "
    "time (request.delay_minutes 0), is not a Wells seizure: `permitted`; any delay keeps the person in custody "
    "past release and is `prohibited` unless a judge's warrant came in time (Q-W1). City law still decides the "
    "hand-over for itself. Parameter handover_without_delay_permitted (false: every hand-over is an arrest).",
    "Q-W4": "Wells is applied from its decision date, 2018-11-14 (the law as known then); before it the state layer "
    "does not govern holds. As a declaration of existing law it could reach earlier holds in later suits. "
    "Parameter wells_from.",
    "Q-W5": "A judge-signed federal criminal warrant (including for 8 U.S.C. §§ 1325/1326) is ordinary criminal "
    "process, not a civil immigration arrest: the state layer does not govern honoring it.",
    "Q-N1": "Wells concerns custody: a notice of release that adds no custody time is not governed by state law. "
    "The Attorney General's guidance (not binding) allows notice 'under narrow circumstances' whose text was not "
    "read. Parameter wells_reaches_notification (true: notice is restricted like a hold).",
    "Q-S1": "The 2026 state budget's immigration provisions passed the Assembly (reported 2026-05-21); Senate passage, "
    "signature, chapter, text and effective date are unverified, so they are not treated as law. Parameter "
    "budget_2026_in_force (true: civil immigration cooperation prohibited unless a judge's warrant or a legal "
    "duty, as reported).",
    "NY-EO170": "Executive Orders 170 (2017-09-15) and 170.1 (2018-04-25) bind agencies under the Governor's executive "
    "authority only (the pack's STATE_AGENCIES: doccs, nysp, dmv, state_agency). A city or county agency is outside "
    "them, so they never decide a New York City case; their operative text was not read (recitals, definitions "
    "and press summaries only).",
    "NY-POCA": "The Protect Our Courts Act (Civil Rights Law § 28, Judiciary Law §§ 4-a, 212; ch. 322 of 2020, in "
    "force 2020-12-15) privileges a party, potential witness or their family or household member attending a "
    "court proceeding from civil arrest going to, at and returning from it, unless a judge's warrant or order "
    "authorizes the arrest; executing or willfully assisting such an arrest is contempt and false imprisonment. "
    "Decided for request kind courthouse_arrest (action courthouse_civil_arrest); an arrest for a criminal "
    "prosecution (purpose criminal_*) is not civil. Upheld against the federal challenge 2025-11-17 (N.D.N.Y.); "
    "appeal unknown.",
    "Q-P1": "POCA's 'judicial warrant or judicial order' is one signed by a judge of the judicial branch: an Article "
    "III judge, a federal magistrate judge or a state judge (request.judicial_order_issuer; the contract's "
    "judicial_warrant counts). An immigration judge's order or an ICE warrant does not (EOIR and ICE are executive "
    "agencies). Parameter poca_judicial_issuers.",
    "Q-P2": "'Going to, remaining at, and returning from' runs from leaving home or custody for the appearance to "
    "arrival at the next ordinary destination; a custodial ride back to jail is 'returning from' "
    "(person.court_attendance). Parameter poca_returning_from_covered (false: only going to and at court).",
    "Q-P3": "Sharing a court date with federal immigration authorities is not an arrest: POCA does not decide "
    "share_information, though sharing it for a courthouse arrest may be willful assistance (not modelled: the "
    "case does not record why the date is asked for).",
    "Q-P4": "A party produced from custody attends the proceeding in good faith: a detained defendant is covered "
    "like any party. Not flippable: the case does not record whether the person is in custody at the appearance.",
    "NY-GL": "The Green Light law (VTL § 201(12), ch. 37 of 2019, from 2019-12-14) bars making DMV records or "
    "information accessible to an agency that primarily enforces immigration law without an Article III judge's "
    "warrant or a lawful court order; decided for share_information with request.dmv_records. Binds the DMV "
    "(from 2019-12-14) and agencies receiving DMV records (Q-G2). Upheld against the federal challenge 2025-12-23 "
    "(N.D.N.Y.). DMV data are not immigration status information, so § 1373 does not displace it.",
    "Q-G1": "'An agency that primarily enforces immigration law' is a test of the agency, not of the purpose: ICE "
    "(including HSI on a criminal case) and CBP, i.e. requester federal_immigration, whatever the request's purpose.",
    "Q-G2": "Agencies receiving DMV records (the NYPD, DOC, Probation) are bound from 2020-01-11, the DCJS agreement "
    "deadline (the statutory penalty of April 2020, ch. 58 of 2020 part YYY, was not read). Parameter "
    "green_light_recipients_from.",
    "Q-G3": "'A lawful court order' is read as an order of any judge of the judicial branch (Article III, magistrate "
    "or state judge), beside an Article III judge's warrant; an immigration judge's order or an ICE warrant is "
    "neither. Parameter green_light_issuers (e.g. [article_iii] for the narrowest reading).",
    "NY-AG": "The Attorney General's guidance (2014-2025) is interpretive, not law: it informs the defaults of Q-W1, "
    "Q-W2 and Q-N1 and is not a rule.",
    "NY-NYFA": "The New York For All Act (S2235/A3506 of 2025-26) was not found enacted; no state statute of general "
    "application requires a city to cooperate. Modelled as a bill a scenario may read in (ny_for_all_in_force, "
    "default false): no hold, release notice, hand-over or sharing of non-public information for civil "
    "immigration enforcement without a judge's warrant.",
    "NY-287G": "No state ban on 287(g) agreements was found enacted (the Governor's Local Cops, Local Crimes Act, "
    "announced 2026-01-30, reported as a three-year ban; S9104 of 2026). Modelled as a bill a scenario may read in "
    "(state_287g_ban_in_force, default false). Wells already bars the arrest and hold functions (Q-W2).",
}
