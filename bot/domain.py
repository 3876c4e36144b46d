"""Is a question about the bot's domain at all: posting, social media, the press, what people say
in public about their work? Written as the domain's own vocabulary in German and English, not as
a list of the questions people should not ask; answer.py uses it, together with how near the
guideline text comes, to tell an off-topic question ("wann ist die Weihnachtsfeier?")."""

from __future__ import annotations

import regex

from bot.question import extract_draft

# Whole words: publishing, platforms, media, formats, what is said in public, brand and ads.
_WORDS = regex.compile(
    r"""\b(
    post|posts|posted|posting|posten|postet|poste|gepostet|repost\w*|teile|teilen|teilt|geteilt|share|shares|
    shared|sharing|retweet\w*|tweet\w*|rt|like|liken|liked|likes|gelikt|kommentar\w*|kommentier\w*|comment\w*|
    reply|replies|replied|antworte\w*|bewert\w*|review\w*|rating\w*|sterne|stars|
    sozial\w*|netzwerk\w*|insta|fb|li|xing|x|mastodon|bluesky|threads|whatsapp|signal|telegram|snapchat|
    pinterest|reddit|discord|twitch|kununu|glassdoor|untappd|google|maps|
    story|stories|reel|reels|vlog\w*|forum|foren|forums|profil\w*|profile|bio|headline|meme\w*|dm|dms|
    geotag\w*|tag|tags|tagged|taggen|getaggt|account\w*|seite|page|kanal|kanäle|channel|channels|feed|feeds|
    bild|bilder|bildern|pic|pics|picture|pictures|film\w*|gefilmt|dreharbeit\w*|drehgenehmigung\w*|clip|clips|livestream\w*|stream|streamen|
    press|pm|reporter\w*|media|zeitung\w*|newspaper\w*|artikel|article|radio|tv|fernsehen|paper|preprint\w*|
    journal|online|internet|netz|web|website|öffentlich\w*|public\w*|publish\w*|veröffentlich\w*|hochlad\w*|
    hochgeladen|upload\w*|verlink\w*|link|links|erwähn\w*|mention\w*|äußer\w*|statement\w*|meinung\w*|
    opinion\w*|vortrag|vorträge|rede|speech|konferenz|conference|meetup|nda|network|networks|
    schreib|schreibe|schreiben|schreibt|geschrieben|write|writing|wrote|
    logo|marke|brand|werbung|werben|werbe\w*|advert\w*|ad|ads|promo\w*|sponsor\w*|kooperation|collab\w*|
    gewinnspiel\w*|giveaway\w*|verlos\w*|
    weiterleit\w*|weitergeleitet|forward|forwarding|forwarded|kennzeichn\w*|gekennzeichnet|disclos\w*|
    empfehl\w*|empfohlen|recommend\w*|endors\w*|gerücht\w*|rumou?rs?|protest\w*
    )\b""",
    regex.IGNORECASE | regex.VERBOSE,
)
# Roots that count inside a German compound too ("Radiointerview", "Facebookseite", "Pressemitteilung").
_ROOTS = regex.compile(
    r"facebook|instagram|linkedin|tiktok|youtube|twitter|interview|journalist|redakt|foto|photo|video|selfie|"
    r"screenshot|hashtag|presse|medien|blog|podcast|influencer|follower|social|gofundme|crowdfund|embargo|"
    r"sperrfrist|vertraulich|confidential",
    regex.IGNORECASE,
)
# Long roots also with one typo ("vertaulich", "instagarm"): people type fast in chat.
_TYPO_ROOTS = regex.compile(
    r"(?:vertraulich|confidential|interview|journalist|screenshot|instagram|facebook|linkedin|influencer|"
    r"sperrfrist){e<=1}",
    regex.IGNORECASE | regex.BESTMATCH,
)
_HASHTAG_OR_MENTION = regex.compile(r"(?<!\w)[#@]\w")
# What the asker may say, tell or name ("Kann ich sagen, wo ich arbeite?", "can I talk about my
# job?", "is it ok to name the customer?"): saying is the domain when the asker is the one who
# says it; "kann mir jemand sagen …" and "who do I talk to …" ask for help, not permission.
_ASKER_SAYS = regex.compile(
    r"""\b(?:darf|dürfen|kann|können|soll|sollte|sollen|muss|müssen)\s+(?:ich|wir|man)\b[^?.!]{0,80}?
    \b(?:sag\w*|erzähl\w*|reden|rede|red|sprechen|sprech\w*|nenn\w*|verrat\w*|berichte\w*|ausplauder\w*|zeig\w*)\b
    |\b(?:(?:can|may|could|should|must)\s+(?:i|we)|(?:do|does)\s+(?:i|we)\s+(?:need|have)\s+to)\b
    (?:\s+(?:be\s+)?(?:allowed|permitted|supposed)\s+to)?[^?.!]{0,80}?
    \b(?:say|saying|tell|telling|talk|talking|speak|speaking|name|naming|reveal|disclose|discuss|show|showing)\b
    |\b(?:ok|okay|fine|allowed|alright|in\s+ordnung|erlaubt)\b,?\s+(?:to\s+)?[^?.!]{0,60}?
    \b(?:to\s+(?:say|tell|talk|speak|name|reveal|disclose|discuss)|zu\s+(?:sagen|erzählen|nennen|verraten|reden|sprechen))\b
    """,
    regex.IGNORECASE | regex.VERBOSE,
)


def about_posting(text: str) -> bool:
    """True when the text names anything of the domain, or quotes a draft to judge."""
    patterns = (_WORDS, _ROOTS, _HASHTAG_OR_MENTION, _ASKER_SAYS, _TYPO_ROOTS)
    return any(p.search(text) for p in patterns) or bool(extract_draft(text))
