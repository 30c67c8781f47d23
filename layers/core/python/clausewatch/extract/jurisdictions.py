"""Names of jurisdictions a governing-law clause may choose, with their canonical spelling."""

from __future__ import annotations

import re

US_STATES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
    "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky",
    "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi",
    "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico",
    "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania",
    "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont",
    "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "District of Columbia",
    "Puerto Rico",
)
CANADIAN_PROVINCES = (
    "Ontario", "Quebec", "British Columbia", "Alberta", "Manitoba", "Saskatchewan", "Nova Scotia",
    "New Brunswick", "Newfoundland and Labrador", "Prince Edward Island",
)
OTHER = (
    "England and Wales", "England", "Scotland", "Northern Ireland", "Wales", "United Kingdom",
    "Ireland", "Germany", "France", "Switzerland", "Netherlands", "The Netherlands", "Belgium",
    "Luxembourg", "Spain", "Italy", "Portugal", "Austria", "Sweden", "Norway", "Denmark", "Finland",
    "Israel", "Japan", "China", "People's Republic of China", "Hong Kong", "Singapore", "Taiwan",
    "Korea", "Republic of Korea", "India", "Australia", "New South Wales", "Victoria", "Queensland",
    "New Zealand", "Canada", "Mexico", "Brazil", "Argentina", "Chile", "Colombia", "Peru",
    "Kazakhstan", "Republic of Kazakhstan", "Papua New Guinea", "South Africa", "Cayman Islands",
    "Bermuda", "British Virgin Islands", "United States", "United States of America", "Malaysia",
    "Thailand", "Philippines", "Indonesia", "Vietnam", "Russia", "Russian Federation", "Poland",
    "Czech Republic", "Hungary", "Greece", "Turkey", "Cyprus", "Malta", "Jersey", "Guernsey",
    "Isle of Man", "Liechtenstein", "Monaco", "United Arab Emirates", "Dubai", "Saudi Arabia",
    "Egypt", "Nigeria", "Kenya", "PRC",
)
# "English law", "Swiss law", "PRC Laws": the adjective names the jurisdiction
ADJECTIVES = {
    "english": "England", "swiss": "Switzerland", "german": "Germany", "french": "France",
    "dutch": "Netherlands", "israeli": "Israel", "japanese": "Japan", "chinese": "People's Republic of China",
    "prc": "People's Republic of China", "italian": "Italy", "spanish": "Spain", "irish": "Ireland",
    "scottish": "Scotland", "scots": "Scotland", "canadian": "Canada", "indian": "India", "swedish": "Sweden",
    "danish": "Denmark", "norwegian": "Norway", "finnish": "Finland", "belgian": "Belgium", "austrian": "Austria",
    "australian": "Australia", "korean": "Korea", "singapore": "Singapore", "hong kong": "Hong Kong",
    "luxembourg": "Luxembourg", "mexican": "Mexico", "brazilian": "Brazil",
}
# Names a clause may use for the same place
_CANONICAL = {
    "the netherlands": "Netherlands", "people's republic of china": "People's Republic of China",
    "prc": "People's Republic of China", "united states of america": "United States",
    "republic of kazakhstan": "Republic of Kazakhstan", "russian federation": "Russia",
}

_ALL = sorted(set(US_STATES + CANADIAN_PROVINCES + OTHER), key=len, reverse=True)
# longest name first so "New York" wins over "York" and "England and Wales" over "England"
JURISDICTION_RE = re.compile(
    r"(?:(?:the\s*)?(?:State|SIATE|Commonwealth|Province|Republic|Kingdom|Federal\s+Republic|Government|"
    r"Hong\s+Kong\s+Special\s+Administrative\s+Region)\s*of\s*)?(?:the\s+)?"
    r"(?P<name>" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in _ALL) + r")\b"
    r"(?P<state_suffix>\s+State\b)?",
    re.IGNORECASE)


def name_of(match: re.Match) -> str:
    """The jurisdiction a ``JURISDICTION_RE`` match names: its name's spelling (``canonical``), and
    "Republic of Georgia" for the country ("the laws of the Republic of Georgia"), never the US
    state its bare name is read as."""
    name = canonical(match.group("name"))
    if name == "Georgia" and re.search(r"\bRepublic\s+of\b", match.group(0), re.IGNORECASE):
        return "Republic of Georgia"
    return name


def canonical(name: str) -> str:
    """The spelling we report: "NEW YORK" -> "New York", "the Netherlands" -> "Netherlands"."""
    flat = re.sub(r"\s+", " ", name).strip()
    low = flat.lower()
    if low in _CANONICAL:
        return _CANONICAL[low]
    for known in _ALL:
        if known.lower() == low:
            return known
    return flat
