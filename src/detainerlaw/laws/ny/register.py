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
    "Q-W2": "A 287(g) agreement does not supply the authority Wells found missing (the Attorney General's 2020 "
    "letter; NYCLU's 2025 suit against Nassau County, outcome unknown). Not a rule: the case records no such "
    "agreement (New York City has none, § 10-178(b)).",
    "Q-W3": "A hand-over at the very moment of release, adding no custody time, is not a Wells seizure; anything that "
    "keeps the person longer is. The data contract's `hold` is custody past release, so every hold is the "
    "latter; a hand-over without delay is not a separate action yet.",
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
    "authorizes the arrest; any person who executes or willfully assists such an arrest commits contempt and "
    "false imprisonment. Not decided yet: the case does not record the facts (Q-P1 a state judge's warrant counts, "
    "an immigration judge's order or ICE warrant does not; Q-P2 a custodial transport back from court is "
    "'returning from'; Q-P3 sharing a court date for an arrest may be assisting; Q-P4 a detained party attends "
    "in good faith).",
    "NY-GL": "The Green Light law (VTL § 201(12), ch. 37 of 2019, from 2019-12-14; recipient agencies bound through "
    "the DCJS agreements from about 2020-01-11, Q-G2) bars disclosing DMV records to an agency that primarily "
    "enforces immigration law (ICE, CBP, any component: Q-G1) without an Article III judge's warrant or a "
    "lawful court order. Not decided yet: the case does not record that information comes from DMV records.",
    "NY-AG": "The Attorney General's guidance (2014-2025) is interpretive, not law: it informs the defaults of Q-W1, "
    "Q-W2 and Q-N1 and is not a rule.",
    "NY-NYFA": "The New York For All Act and the Local Cops, Local Crimes Act (2026) were not found enacted; no state "
    "statute of general application requires a city to cooperate.",
}
