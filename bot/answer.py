"""The answer: a verdict with cited passages, or an honest hand-off to the team.

No Slack here: the adapter renders an ``Answer``; scripts read ``Answer.to_contract()``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from bot.checks import CheckEngine, Finding, draft_verdict
from bot.checks.engine import SEVERITY_RANK
from bot.domain import about_posting
from bot.index.chunking import Passage
from bot.index.embedding import Embedder
from bot.index.store import LoadedIndex
from bot.knowledge.models import FaqEntry, Verdict
from bot.knowledge.routing import Routing
from bot.question import MAX_QUESTION_CHARS, Question, asks, draft_text, extract_draft, looks_like_draft, prepare
from bot.retrieval import FaqMatch, FusionParams, Mode, PassageHit, Retrieval, Retriever
from bot.rules.calibration import Calibration, Evidence, load_calibration
from bot.rules.verdict import TextVerdict, text_verdict
from bot.texts import text
from bot.topicality import topicality

QUOTE_MAX_CHARS = 600
VERDICT_RANK = {"allowed": 0, "conditional": 1, "ask_team": 2, "not_allowed": 3}
_NOT_ALLOWED_LABEL = re.compile(
    r"^(nicht erlaubt|verboten|not allowed|forbidden|prohibited|don'?t|never|nie)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class DecisionParams:
    """Where the bot stops answering and asks people. Calibrated with `guidelines-bot eval`."""

    threshold: float = 0.85  # confidence below this escalates (calibrated on knowledge/eval.yaml)
    faq_min_score: float = 0.55  # an FAQ entry scoring below this is not used as the answer
    faq_full_score: float = 0.8  # ... and at this score it counts as a strong match
    vote_entries: int = 5  # the verdict is put to a vote of this many best entries ...
    vote_temperature: float = 20.0  # ... weighted by exp(temperature * (score - best score))
    rival_margin: float = 0.05  # a rival entry with another verdict closer than this: "hits disagree"
    covered_min_dense: float = 0.25  # below this, with no lexical match, the question is not covered
    max_citations: int = 3
    label_verdicts: bool = True  # a "Not allowed:" passage at the top gives not_allowed
    text_threshold: float | None = None  # a verdict from the rules needs this probability [calibrated]
    # A question naming nothing of the domain is off-topic when no passage of the text is nearer
    # than this (multilingual cosine): on the seven bases 0.2 took no on-topic question for
    # off-topic and 60% of the off-topic ones; 0.22 took an on-topic one.
    off_topic_max_similarity: float = 0.2
    # An FAQ verdict the guideline text says too (the question's nearest section is one of the
    # entry's, and its best-matching rule sentence gives the same verdict) gains this much
    # confidence. On the shipped questions, chosen on half the FAQ topics and measured on the
    # other half (both ways): 73 answered alone with 1 wrong before, 98 with 4 wrong after.
    faq_rule_agreement: float = 0.25


@dataclass(frozen=True)
class Citation:
    source: str
    section: str
    heading_path: tuple[str, ...]
    anchor: str
    quote: str
    score: float
    language: str
    url: str | None = None
    highlight: str | None = None  # the rule sentence the verdict rests on, inside ``quote``

    def to_contract(self) -> dict:
        return {
            "source": self.source,
            "section": self.section,
            "heading_path": list(self.heading_path),
            "anchor": self.anchor,
            "quote": self.quote,
            "score": round(self.score, 4),
        }


@dataclass
class DraftFinding:
    """A check finding on the draft, with the guideline passage it rests on."""

    finding: Finding
    citation: Citation | None

    def to_contract(self, language: str) -> dict:
        f = self.finding
        return {
            "rule": f.rule_id,
            "severity": f.severity,
            "start": f.start,
            "end": f.end,
            "matched": f.matched,
            "description": f.describe(language),
            "fix": f.fix(language),
            "anchors": list(f.anchors),
            "citation": self.citation.to_contract() if self.citation else None,
        }


@dataclass
class Answer:
    """The answer contract (`ask --json`, README "Asking"), plus what the Slack adapter needs."""

    question: str
    language: str
    verdict: Verdict | None  # None: nothing to judge (no question, or not in German or English)
    escalate: bool
    reason: str
    confidence: float
    answer: str
    route: str | None
    citations: list[Citation] = field(default_factory=list)
    topic: str | None = None
    faq_id: str | None = None
    notes: list[str] = field(default_factory=list)
    findings: list[DraftFinding] = field(default_factory=list)
    draft: str = ""  # the text the checks ran on; finding offsets point into it
    retrieval: Retrieval | None = field(default=None, repr=False)
    candidate: Verdict | None = None  # the verdict before a low confidence handed it to the team
    forced: bool = False  # goes to the team whatever the confidence (ask_team, an always-escalate topic)

    def to_contract(self, with_findings: bool = False) -> dict:
        data = {
            "question": self.question,
            "language": self.language,
            "verdict": self.verdict,
            "escalate": self.escalate,
            "reason": self.reason,
            "confidence": round(self.confidence, 4),
            "answer": self.answer,
            "route": self.route,
            "citations": [c.to_contract() for c in self.citations],
        }
        if with_findings:
            data["findings"] = [f.to_contract(self.language) for f in self.findings]
        return data


def _quote(passage: Passage, around: str | None = None) -> str:
    """The passage, cut to QUOTE_MAX_CHARS; with ``around``, a sentence of it, the cut starts so
    that the sentence is inside."""
    quote = passage.text
    if len(quote) <= QUOTE_MAX_CHARS:
        return quote
    start = quote.find(around) if around else -1
    lead = ""
    if start > 0 and start + len(around) > QUOTE_MAX_CHARS - 1:
        quote, lead = quote[start:], "…"
    cut = quote.rfind(" ", 0, QUOTE_MAX_CHARS - 1)
    return lead + quote[: cut if cut > 0 else QUOTE_MAX_CHARS - 1].rstrip(" ,;:") + "…"


def _citation(hit: PassageHit, score: float) -> Citation:
    p = hit.passage
    section = p.heading_path[-1] if p.heading_path else p.title
    return Citation(
        source=p.source,
        section=section,
        heading_path=p.heading_path,
        anchor=p.anchor,
        quote=_quote(p),
        score=score,
        language=p.language,
        url=p.url,
    )


# -- draft posts ---------------------------------------------------------------------------------
Cite = Callable[[Finding, str], Citation | None]  # a finding's guideline passage (None without an index)


def _is_post(question: Question, attachments: tuple) -> bool:
    """A post to judge by its checks: something to check, asking nothing, in German or English."""
    return (not question.empty or bool(attachments)) and not question.foreign and not asks(question.original)


def cite_findings(findings: list[Finding], lang: str, cite: Cite | None) -> list[DraftFinding]:
    """Each finding with its citation, looked up once per rule and anchor."""
    cited: dict[tuple[str | None, str], Citation | None] = {}
    out = []
    for f in findings:
        key = (f.anchors[0] if f.anchors else None, f.rule_id)
        if key not in cited:
            cited[key] = cite(f, lang) if cite is not None else None
        out.append(DraftFinding(f, cited[key]))
    return out


def _draft_lead(verdict: Verdict, worst: Finding, lang: str) -> str:
    key = {"not_allowed": "draft_block", "ask_team": "draft_ask_team"}.get(verdict, "draft_warn")
    return f"{text(key, lang)} {worst.fix(lang) or worst.describe(lang)}".strip()


def _findings_reason(findings: list[Finding], lang: str) -> str:
    rules = sorted({f.rule_id for f in findings})
    return text("reason_findings", lang, n=len(findings), rules=", ".join(rules))


def _finding_route(routing: Routing, finding: DraftFinding, topic: str | None = None) -> str:
    """The contact for a finding that needs the team: its section's topic (the section it cites
    when its rule names none), else ``topic``'s."""
    anchors = finding.finding.anchors or ((finding.citation.anchor,) if finding.citation else ())
    found = routing.topic_for_anchor(anchors[0]) if anchors else None
    return routing.contact_for(found or topic).key


def judge_post(
    question: Question, attachments: tuple, checks: CheckEngine, routing: Routing, cite: Cite | None = None
) -> Answer:
    """The verdict on a post from its checks alone (`check`, "Check this post"): the findings'
    verdict, escalating only for a finding that needs the team; without findings, that the checks
    found nothing and what they looked for. Needs no index: ``cite`` adds the citations."""
    lang = question.language
    draft = draft_text(question.original)
    findings = checks.check(draft, attachments)
    answer = Answer(question.original, lang, "allowed", False, "", 1.0, "", None, notes=_notes(question), draft=draft)
    if not findings:
        answer.answer = text("draft_clean", lang, looked_for=", ".join(checks.looks_for(lang)))
        answer.reason = text("reason_no_findings", lang, n=len(checks))
        return answer
    answer.findings = cite_findings(findings, lang, cite)
    verdict, escalate = draft_verdict(findings)
    by_severity = sorted(answer.findings, key=lambda d: -SEVERITY_RANK[d.finding.severity])
    worst = by_severity[0]
    answer.verdict = answer.candidate = verdict or "allowed"
    answer.answer = _draft_lead(answer.verdict, worst.finding, lang)
    answer.citations = list(dict.fromkeys(d.citation for d in by_severity if d.citation))[:3]
    answer.escalate = answer.forced = escalate
    answer.route = _finding_route(routing, worst) if escalate else None
    answer.reason = _findings_reason(findings, lang)
    return answer


def check_without_index(checks: CheckEngine, routing: Routing, raw: str, attachments: tuple = ()) -> Answer:
    """`check` where no index exists: the post judged by its checks, without citations. A question
    in the text cannot be answered without an index; a note says so."""
    question = prepare(raw)
    unasked = None if attachments else nothing_to_judge(question)
    if unasked is not None:
        return unasked
    answer = judge_post(question, attachments, checks, routing)
    if asks(question.original):
        answer.notes.append(text("question_needs_index", question.language))
    return answer


def _notes(question: Question) -> list[str]:
    return [text("truncated", question.language, n=len(question.text))] if question.truncated else []


def nothing_to_judge(question: Question) -> Answer | None:
    """The answer to a message without a question the bot can judge: none in it, or one in a
    language it does not answer in. None for a question to answer."""
    lang = question.language
    if question.foreign:
        reason, said = text("foreign_reason", lang, code=question.foreign), text("foreign", lang)
    elif question.empty:
        reason, said = text("empty_reason", lang), text("empty", lang)
    else:
        return None
    return Answer(question.original, lang, None, False, reason, 0.0, said, None, notes=_notes(question))


def _first_sentences(passage_text: str, limit: int = 320) -> str:
    body = re.sub(r"^[^\n]{0,60}:\n", "", passage_text)  # drop a leading "Allowed:" label line
    body = body.replace("\n• ", " ").lstrip("• ").strip()
    if len(body) <= limit:
        return body
    cut = body.rfind(". ", 0, limit)
    return body[: cut + 1] if cut > 80 else body[:limit].rsplit(" ", 1)[0] + "…"


def _off_topic_answer(question: Question, contact, notes: list[str]) -> Answer:
    """Not about the guidelines: said so, no verdict, no case; the contact stays for the button."""
    lang = question.language
    said = text("off_topic", lang, contact=contact.display_name(lang))
    return Answer(
        question.original, lang, None, False, text("off_topic_reason", lang), 0.0, said, contact.key, notes=notes
    )


def _handover(
    contact: str, told: str, citations: list[Citation], rule: TextVerdict | None, lang: str
) -> tuple[str, list[Citation]]:
    """The answer text of a question handed to ``contact``, with what the FAQ entry says
    (``told``), and the citations it keeps."""
    said = text("not_covered" if not citations else "ask_team_lead", lang, contact=contact)
    said += f" {told}" if told else ""
    # What the text says, so the asker learns something meanwhile; never an unsure permission,
    # which would read like a "yes" the team has not given.
    if rule is not None and rule.verdict not in (None, "allowed"):
        said += " " + text("closest_rule", lang, rule=_unit_quote(rule))
    elif rule is not None:
        citations = [replace(c, highlight=None) for c in citations]
    return said, citations


def _unrelated_answer(
    question: Question, contact, entry: FaqEntry | None, citations: list[Citation], notes: list[str]
) -> Answer:
    """Names nothing of the domain and matches nothing surely: said so, no verdict and no case;
    the button still reaches the contact, in case it is about posting after all. The reason
    names the nearest FAQ entry or section, for the maintainer."""
    lang = question.language
    nearest = entry.id if entry is not None else (citations[0].section if citations else "–")
    said = text("unrelated", lang, contact=contact.display_name(lang))
    reason = text("unrelated_reason", lang, nearest=nearest)
    return Answer(question.original, lang, None, False, reason, 0.0, said, contact.key, notes=notes)


def _unit_quote(rule: TextVerdict) -> str:
    """The rule sentence as quoted to the asker, with its lead-in ("Nicht erlaubt: …")."""
    unit = rule.unit
    body = unit.text if len(unit.text) <= 320 else unit.text[:320].rsplit(" ", 1)[0] + "…"
    return f"{unit.lead} {body}" if unit.lead else body


def _rule_answer(rule: TextVerdict, verdict: Verdict, lang: str) -> str:
    """The verdict first, in the asker's language, then the exact rule sentence it rests on."""
    return text(f"rule_{verdict}", lang, rule=_unit_quote(rule))


class Answerer:
    """Turns a question into an Answer using one loaded index (take a fresh one per question
    from the IndexHolder to get hot-swapped knowledge)."""

    def __init__(
        self,
        index: LoadedIndex,
        embedder: Embedder,
        params: DecisionParams | None = None,
        fusion: FusionParams | None = None,
        calibration: Calibration | None = None,
    ) -> None:
        self.index = index
        self.kb = index.knowledge
        self.retriever = Retriever(index, embedder, fusion)
        self.params = params or DecisionParams()
        self.calibration = calibration or load_calibration()
        self.faq: dict[str, FaqEntry] = {e.id: e for e in self.kb.faq}

    def answer(
        self,
        raw: str,
        mode: Mode = "fused",
        max_chars: int = MAX_QUESTION_CHARS,
        attachments: tuple = (),
        whole_text_is_draft: bool = False,
    ) -> Answer:
        question = prepare(raw, max_chars)
        return self.answer_prepared(question, mode, attachments=attachments, whole_text_is_draft=whole_text_is_draft)

    def answer_prepared(
        self,
        question: Question,
        mode: Mode = "fused",
        retrieval: Retrieval | None = None,
        attachments: tuple = (),
        whole_text_is_draft: bool = False,
    ) -> Answer:
        """The answer to the question, combined with the draft checks' findings (the more severe
        verdict wins; a finding that needs the team escalates). The checks run on the whole text
        for "Check this post", `check` and text that reads like a post, else on a draft quoted in
        the question. A post given to be checked that asks nothing is judged by its checks alone
        (`judge_post`): it is not a question for the team."""
        checks = self.kb.checks
        if checks is not None and whole_text_is_draft and _is_post(question, attachments):
            vector = None if question.empty else self.retriever.embed(question)
            judged = judge_post(question, attachments, checks, self.kb.routing, self._citer(vector))
            if not judged.findings and not question.empty:
                self._cite_related(judged, question, vector)
            return judged
        answer = self._answer_question(question, mode, retrieval)
        if checks is None:
            return answer
        whole = whole_text_is_draft or looks_like_draft(question.original)
        draft = question.original if whole else extract_draft(question.original)
        if not draft and not attachments:
            return answer
        draft = draft_text(draft or "")
        findings = checks.check(draft, attachments)
        if findings:
            self._apply_findings(answer, draft, findings)
        return answer

    def _citer(self, vector: np.ndarray | None) -> Cite:
        """How a finding is cited: the passage of its anchor's section closest to what it found."""

        def cite(finding: Finding, lang: str) -> Citation | None:
            about = f"{finding.describe(lang)} {finding.fix(lang)} {finding.matched}"
            anchor = finding.anchors[0] if finding.anchors else self._best_section(about)
            if anchor is None:
                return None
            ranked = self.retriever.passages_matching(anchor, lang, about, vector)
            return _citation(ranked[0], ranked[0].dense) if ranked else None

        return cite

    def _best_section(self, about: str) -> str | None:
        """The section a finding rests on when its rule names none that exists (the generic rules,
        a rule copied from another knowledge base): the one the index finds for ``about`` (what
        the rule flags, what to do, what it found); None when the guidelines do not cover it."""
        retrieval = self.retriever.search(prepare(about))
        covered = retrieval.top_dense >= self.params.covered_min_dense or retrieval.has_lexical_match
        return retrieval.sections[0].anchor if covered and retrieval.sections else None

    def _apply_findings(self, answer: Answer, draft: str, findings: list[Finding]) -> None:
        lang = answer.language
        vector = answer.retrieval.vector if answer.retrieval is not None else None
        answer.findings = cite_findings(findings, lang, self._citer(vector))
        answer.draft = draft
        verdict, escalate = draft_verdict(findings)
        worst = max(answer.findings, key=lambda d: SEVERITY_RANK[d.finding.severity])
        if verdict and VERDICT_RANK[verdict] > VERDICT_RANK.get(answer.verdict or "", -1):
            answer.verdict = answer.candidate = verdict
            first = worst.citation
            if first is not None:
                answer.citations = [first, *[c for c in answer.citations if c.anchor != first.anchor]][:3]
            answer.answer = _draft_lead(verdict, worst.finding, lang)
        answer.forced = answer.forced or escalate
        if escalate and not answer.escalate:
            answer.escalate = True
            answer.route = _finding_route(self.kb.routing, worst, answer.topic)
        answer.reason = (answer.reason + " " + _findings_reason(findings, lang)).strip()

    def _answer_question(self, question: Question, mode: Mode = "fused", retrieval: Retrieval | None = None) -> Answer:
        lang = question.language
        routing = self.kb.routing
        notes = _notes(question)
        unasked = nothing_to_judge(question)
        if unasked is not None:
            return unasked
        retrieval = retrieval or self.retriever.search(question, mode)
        p = self.params
        threshold = p.threshold  # the FAQ's; a verdict from the rules has its calibrated one
        rule: TextVerdict | None = None
        reasons: list[str] = []
        faq_match, rival = self._faq_choice(retrieval)
        keyword = routing.keyword_topic(question.text)
        strong_faq = faq_match is not None and faq_match.similarity >= p.faq_full_score
        # Not about what may be said or shown, and no routing keyword or strong FAQ match: far
        # from the text too, it is off-topic; near it, it is declined below unless the bot is sure.
        unrelated = keyword is None and not strong_faq and not self._names_the_domain(question, retrieval)
        if unrelated and self._far_from_the_text(retrieval):
            return _off_topic_answer(question, routing.contact_for(None), notes)

        if faq_match is not None:
            entry = self.faq[faq_match.faq_id]
            verdict: Verdict = entry.verdict
            topic: str | None = entry.topic
            answer_text = entry.answer.best(lang)[0]
            citations = self._faq_citations(entry, retrieval, lang)
            confidence = self._faq_confidence(faq_match, retrieval)
            reasons.append(text("reason_faq", lang, faq=entry.id, sim=min(1.0, faq_match.similarity)))
            agreed = self._rule_agreeing_with(entry, retrieval, lang)
            confidence = min(1.0, confidence + p.faq_rule_agreement) if agreed else confidence
            reasons += [text("reason_rule_agrees", lang, section=agreed)] if agreed else []
            if entry.verdict == "ask_team":
                reasons.append(text("reason_ask_team_faq", lang))
            if rival is not None and faq_match.score - rival.score < p.rival_margin:
                reasons.append(text("reason_disagree", lang, a=entry.id, b=rival.faq_id))
            reasons += [text("reason_faq_unrelated", lang, faq=entry.id)] if unrelated else []
        else:
            entry = None
            citations = self._section_citations(retrieval, lang)
            top = citations[0] if citations else None
            topic = routing.topic_for_anchor(top.anchor) if top else None
            covered = top is not None and (retrieval.top_dense >= p.covered_min_dense or retrieval.has_lexical_match)
            if not covered:
                verdict, confidence = "ask_team", 0.0
                reasons.append(text("reason_not_covered", lang))
                answer_text = ""
            else:
                found = self.text_evidence(retrieval)
                if found is not None:
                    evidence, rule = found
                    confidence = self.calibration.probability(evidence, rule)
                    verdict = rule.verdict or "conditional"
                    threshold = self.text_threshold(verdict)
                    answer_text = _rule_answer(rule, verdict, lang)
                    citations = self.text_citations(retrieval, rule, lang)
                else:
                    confidence = self._section_confidence(retrieval)
                    not_allowed = p.label_verdicts and bool(_NOT_ALLOWED_LABEL.match(top.quote))
                    verdict = "not_allowed" if not_allowed else "conditional"
                    lead = text("rules_not_allowed_lead" if not_allowed else "rules_lead", lang)
                    answer_text = f"{lead} {_first_sentences(top.quote)}"
                reasons.append(text("reason_rules", lang, section=top.section))

        if keyword and routing.escalates(keyword[0]):
            topic = keyword[0]
        if routing.escalates(topic):
            reasons.append(text("reason_topic", lang, topic=topic))
        if confidence < threshold and verdict != "ask_team":
            reasons.append(text("reason_low_confidence", lang, conf=confidence, threshold=threshold))
        forced = verdict == "ask_team" or routing.escalates(topic)
        candidate = verdict
        escalate = forced or confidence < threshold
        contact = routing.contact_for(topic)
        # An unrelated question gets no verdict from an FAQ entry it only resembles in words
        # ("Wann ist die Weihnachtsfeier?" beside "Fotos von der Weihnachtsfeier posten?"),
        # however near, nor from an unsure reading of the text: it is declined, with the button.
        if unrelated and (entry is not None or escalate) and not self._sends_anyway(entry):
            return _unrelated_answer(question, routing.contact_for(None), entry, citations, notes)
        if escalate:
            if verdict != "ask_team" or not answer_text:
                told = answer_text if entry is not None and not unrelated else ""
                answer_text, citations = _handover(contact.display_name(lang), told, citations, rule, lang)
            verdict = "ask_team"
        return Answer(
            question=question.original,
            language=lang,
            verdict=verdict,
            escalate=escalate,
            reason=" ".join(reasons),
            confidence=round(float(confidence), 4),
            answer=answer_text,
            route=contact.key,
            citations=citations[: p.max_citations],
            topic=topic,
            faq_id=entry.id if entry else None,
            notes=notes,
            retrieval=retrieval,
            candidate=candidate,
            forced=forced,
        )

    def _cite_rule(self, citations: list[Citation], rule: TextVerdict, retrieval: Retrieval) -> list[Citation]:
        """The first citation becomes the passage that holds the rule sentence, which it marks
        (the section's best passage may be another part of it)."""
        unit = rule.unit
        for hit in self.retriever.passages_of(unit.anchor, unit.language, retrieval.vector):
            if unit.text in hit.passage.text:
                score = citations[0].score if citations else 0.0
                cited = replace(_citation(hit, score), quote=_quote(hit.passage, unit.text), highlight=unit.text)
                return [cited, *[c for c in citations if c.anchor != unit.anchor]]
        return citations

    def _cite_related(self, answer: Answer, question: Question, vector: np.ndarray | None) -> None:
        """A post the checks found nothing in still gets the sections it is about when it names the
        best one's subject (a photo post: the rules on photos of people), so the author can check
        what the checks cannot; a sunset, near nothing in particular, gets none."""
        retrieval = self.retriever.search(question, vector=vector)
        top = retrieval.sections[0].best_passage() if retrieval.sections else None
        analyzer = self.index.lexical.analyzer
        heading = (top.passage.heading_path or (top.passage.title,))[-1] if top is not None else ""
        named = bool(set(analyzer.tokens(question.text)) & set(analyzer.tokens(heading)))
        if named:  # the post names what the best section is about ("Fotos" → "Fotos und Videos")
            answer.citations = self._section_citations(retrieval, answer.language)[:2]
            answer.answer += " " + text("draft_related", answer.language)

    def _far_from_the_text(self, retrieval: Retrieval) -> bool:
        """No passage of the guideline text (FAQ phrasings, short questions themselves, are near
        every question) comes near the question in the multilingual space; without that channel
        the bot does not guess. With ``_names_the_domain`` false, the question is off-topic."""
        if not self.retriever.multilingual:
            return False
        nearest = max((h.multilingual for h in retrieval.hits if h.passage.kind == "section"), default=0.0)
        return nearest < self.params.off_topic_max_similarity

    def _names_the_domain(self, question: Question, retrieval: Retrieval) -> bool:
        """The question names posting, the press or public talk (bot/domain.py), or, with the
        multilingual channel, is nearer to a question about what may be said or shown than to
        any everyday workplace question (bot/topicality.py)."""
        if about_posting(question.text):
            return True
        encoder, vector = self.index.multilingual_encoder, retrieval.multilingual_vector
        return encoder is not None and vector is not None and topicality(encoder).names_the_domain(vector)

    def text_threshold(self, verdict: Verdict) -> float:
        """The probability a verdict from the rules needs: set, else the calibrated one (higher
        for "allowed")."""
        given = self.params.text_threshold
        return self.calibration.threshold_for(verdict) if given is None else given

    def text_evidence(self, retrieval: Retrieval) -> tuple[Evidence, TextVerdict] | None:
        """The best section's best-matching rule and the retrieval evidence around it, or None
        without rule vectors (no multilingual channel) or rules in that section."""
        index = self.index
        if retrieval.multilingual_vector is None or index.rule_vectors is None or not retrieval.sections:
            return None
        sections = retrieval.sections
        asked = set(index.lexical.analyzer.tokens(retrieval.question.text))
        rule = text_verdict(
            sections[0].anchor,
            retrieval.multilingual_vector,
            index.rules,
            index.rule_vectors,
            index.rule_anchors,
            overlap=lambda row: len(asked & index.rule_tokens[row]) / len(asked) if asked else 0.0,
        )
        if rule is None:
            return None
        evidence = Evidence(
            section_score=sections[0].score,
            section_margin=sections[0].score - (sections[1].score if len(sections) > 1 else 0.0),
            top_multilingual=max((h.multilingual for h in retrieval.hits), default=0.0),
            top_dense=retrieval.top_dense,
            lexical=retrieval.has_lexical_match,
        )
        return evidence, rule

    # -- FAQ ---------------------------------------------------------------------------------
    def _sends_anyway(self, entry: FaqEntry | None) -> bool:
        """Whether a question that names nothing of the domain still goes to the team when unsure.
        Most such questions are not about the guidelines at all, and a case would be noise for
        the team, so the asker is told and keeps the button to ask anyway; but an FAQ entry that
        says "ask the team", or whose topic always goes to the team (insider information, crises),
        still sends it."""
        return entry is not None and (entry.verdict == "ask_team" or self.kb.routing.escalates(entry.topic))

    def faq_match(self, retrieval: Retrieval) -> FaqMatch | None:
        """The FAQ entry the answer rests on, if any is similar enough (else the text decides)."""
        return self._faq_choice(retrieval)[0]

    def _faq_choice(self, retrieval: Retrieval) -> tuple[FaqMatch | None, FaqMatch | None]:
        """The best FAQ entry, if similar enough, and its closest rival with another verdict."""
        matches = [m for m in retrieval.faq if m.faq_id in self.faq]
        if not matches or matches[0].score < self.params.faq_min_score:
            return None, None
        best = matches[0]
        verdict = self.faq[best.faq_id].verdict
        rival = next((m for m in matches[1:] if self.faq[m.faq_id].verdict != verdict), None)
        return best, rival

    def _faq_confidence(self, match: FaqMatch, retrieval: Retrieval) -> float:
        """How sure the FAQ verdict is: the entry's score between faq_min_score and faq_full_score,
        times the share of the vote its verdict gets among the best entries (near matches with
        another verdict mean the hits disagree)."""
        p = self.params
        strength = min(1.0, max(0.0, (match.score - p.faq_min_score) / (p.faq_full_score - p.faq_min_score)))
        votes: dict[str, float] = {}
        for m in [m for m in retrieval.faq if m.faq_id in self.faq][: p.vote_entries]:
            verdict = self.faq[m.faq_id].verdict
            votes[verdict] = votes.get(verdict, 0.0) + float(np.exp(p.vote_temperature * (m.score - match.score)))
        share = votes.get(self.faq[match.faq_id].verdict, 0.0) / sum(votes.values()) if votes else 0.0
        return float(strength * share)

    def _rule_agreeing_with(self, entry: FaqEntry, retrieval: Retrieval, lang: str) -> str | None:
        """The heading of the question's nearest section when it is one of the entry's and its
        best-matching rule sentence gives the entry's verdict (two readings agree), else None."""
        if not retrieval.sections or retrieval.sections[0].anchor not in entry.anchors:
            return None
        found = self.text_evidence(retrieval)
        if found is None or found[1].verdict != entry.verdict:
            return None
        best = retrieval.sections[0].best_passage(lang)
        if best is None:
            return retrieval.sections[0].anchor
        return (best.passage.heading_path or (best.passage.title,))[-1]

    def _faq_citations(self, entry: FaqEntry, retrieval: Retrieval, lang: str) -> list[Citation]:
        """The entry's sections, each quoted with the passage closest to the entry's answer and
        the question together (the rule that backs the answer, not just the topic's intro)."""
        citations = []
        by_anchor = {s.anchor: s for s in retrieval.sections}
        target = self.retriever.answer_vector(entry.id, lang)
        if retrieval.vector is not None:
            question = np.atleast_2d(retrieval.vector)[0]
            target = question if target is None else 0.6 * target + 0.4 * question
        answer_text = entry.answer.best(lang)[0]
        for anchor in entry.anchors[: self.params.max_citations]:
            section = by_anchor.get(anchor)
            ranked = self.retriever.passages_of(anchor, lang, target)
            if ranked and answer_text:
                lexical = self.retriever.passages_matching(anchor, lang, answer_text, target)
                top = max((h.lexical for h in lexical), default=0.0) or 1.0
                score = {h.row: h.dense + 0.5 * h.lexical / top for h in lexical}
                ranked = sorted(ranked, key=lambda h: score.get(h.row, h.dense), reverse=True)
            hit = ranked[0] if ranked else (section.best_passage(lang) if section else None)
            if hit is not None:
                citations.append(_citation(hit, section.score if section else hit.dense))
        return citations

    # -- guideline text only -------------------------------------------------------------------
    def text_citations(self, retrieval: Retrieval, rule: TextVerdict, lang: str) -> list[Citation]:
        """What an answer from the guideline text cites: the passage with its rule, then the
        other best sections."""
        return self._cite_rule(self._section_citations(retrieval, lang), rule, retrieval)[: self.params.max_citations]

    def _section_citations(self, retrieval: Retrieval, lang: str) -> list[Citation]:
        citations = []
        for section in retrieval.sections:
            hit = section.best_passage(lang)
            if hit is None:
                ranked = self.retriever.passages_of(section.anchor, lang, retrieval.vector)
                hit = ranked[0] if ranked else None
            if hit is not None:
                citations.append(_citation(hit, section.score))
            if len(citations) >= self.params.max_citations:
                break
        return citations

    def _section_confidence(self, retrieval: Retrieval) -> float:
        sections = retrieval.sections
        if not sections:
            return 0.0
        best = sections[0].best_passage()
        dense = max((h.dense for h in sections[0].hits), default=0.0) if best else 0.0
        lexical = any(h.lexical_rank is not None for h in sections[0].hits)
        return min(1.0, max(0.0, (dense - 0.2) / 0.5)) * (1.0 if lexical else 0.7)
