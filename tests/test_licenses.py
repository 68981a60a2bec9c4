"""Licence classification, table-driven over strings as they appear in real dataset metadata.

Sources of the strings: SPDX ids and names, Hugging Face ``license:`` ids, Croissant/DCAT
``license`` URLs, dataset READMEs (loose spellings), Chinese licence phrases, compound
expressions. Each row: input, expected SPDX expression (None = not guessed), category, outcome.
"""

from __future__ import annotations

import pytest

from provenance.licenses import classify

M, A, U, E = "matched", "ambiguous", "unknown", "empty"

CASES: list[tuple[str, str | None, str, str]] = [
    # --- SPDX ids, any case -------------------------------------------------------------
    ("MIT", "MIT", "permissive", M),
    ("mit", "MIT", "permissive", M),
    ("Apache-2.0", "Apache-2.0", "permissive", M),
    ("apache-2.0", "Apache-2.0", "permissive", M),
    ("BSD-3-Clause", "BSD-3-Clause", "permissive", M),
    ("bsd-2-clause", "BSD-2-Clause", "permissive", M),
    ("BSD-3-Clause-Clear", "BSD-3-Clause-Clear", "permissive", M),
    ("ISC", "ISC", "permissive", M),
    ("Zlib", "Zlib", "permissive", M),
    ("BSL-1.0", "BSL-1.0", "permissive", M),
    ("PSF-2.0", "PSF-2.0", "permissive", M),
    ("Artistic-2.0", "Artistic-2.0", "permissive", M),
    ("OFL-1.1", "OFL-1.1", "permissive", M),
    ("MulanPSL-2.0", "MulanPSL-2.0", "permissive", M),
    ("MIT-0", "MIT-0", "permissive", M),
    ("Unlicense", "Unlicense", "public_domain", M),
    ("unlicense", "Unlicense", "public_domain", M),
    ("CC0-1.0", "CC0-1.0", "public_domain", M),
    ("cc0-1.0", "CC0-1.0", "public_domain", M),
    ("PDDL-1.0", "PDDL-1.0", "public_domain", M),
    ("WTFPL", "WTFPL", "public_domain", M),
    ("0BSD", "0BSD", "public_domain", M),
    ("CC-BY-4.0", "CC-BY-4.0", "permissive", M),
    ("cc-by-4.0", "CC-BY-4.0", "permissive", M),
    ("cc-by-3.0", "CC-BY-3.0", "permissive", M),
    ("cc-by-2.0", "CC-BY-2.0", "permissive", M),
    ("CC-BY-SA-4.0", "CC-BY-SA-4.0", "strong_copyleft", M),
    ("cc-by-sa-3.0", "CC-BY-SA-3.0", "strong_copyleft", M),
    ("CC-BY-NC-4.0", "CC-BY-NC-4.0", "non_commercial", M),
    ("cc-by-nc-2.0", "CC-BY-NC-2.0", "non_commercial", M),
    ("cc-by-nc-sa-4.0", "CC-BY-NC-SA-4.0", "non_commercial", M),
    ("CC-BY-NC-SA-3.0", "CC-BY-NC-SA-3.0", "non_commercial", M),
    ("cc-by-nc-nd-4.0", "CC-BY-NC-ND-4.0", "no_derivatives", M),
    ("cc-by-nc-nd-3.0", "CC-BY-NC-ND-3.0", "no_derivatives", M),
    ("cc-by-nd-4.0", "CC-BY-ND-4.0", "no_derivatives", M),
    ("ODbL-1.0", "ODbL-1.0", "strong_copyleft", M),
    ("odbl-1.0", "ODbL-1.0", "strong_copyleft", M),
    ("ODC-By-1.0", "ODC-By-1.0", "permissive", M),
    ("odc-by", "ODC-By-1.0", "permissive", M),
    ("CDLA-Permissive-2.0", "CDLA-Permissive-2.0", "permissive", M),
    ("cdla-permissive-1.0", "CDLA-Permissive-1.0", "permissive", M),
    ("CDLA-Sharing-1.0", "CDLA-Sharing-1.0", "weak_copyleft", M),
    ("C-UDA-1.0", "C-UDA-1.0", "permissive", M),
    ("OGL-UK-3.0", "OGL-UK-3.0", "permissive", M),
    ("etalab-2.0", "etalab-2.0", "permissive", M),
    ("GPL-3.0-only", "GPL-3.0-only", "strong_copyleft", M),
    ("gpl-3.0", "GPL-3.0-only", "strong_copyleft", M),
    ("GPL-2.0-or-later", "GPL-2.0-or-later", "strong_copyleft", M),
    ("gpl-2.0", "GPL-2.0-only", "strong_copyleft", M),
    ("gpl-3.0+", "GPL-3.0-or-later", "strong_copyleft", M),
    ("AGPL-3.0-only", "AGPL-3.0-only", "strong_copyleft", M),
    ("agpl-3.0", "AGPL-3.0-only", "strong_copyleft", M),
    ("LGPL-2.1-only", "LGPL-2.1-only", "weak_copyleft", M),
    ("lgpl-3.0", "LGPL-3.0-only", "weak_copyleft", M),
    ("lgpl-2.1", "LGPL-2.1-only", "weak_copyleft", M),
    ("MPL-2.0", "MPL-2.0", "weak_copyleft", M),
    ("EPL-2.0", "EPL-2.0", "weak_copyleft", M),
    ("GFDL-1.3", "GFDL-1.3-only", "strong_copyleft", M),
    ("gfdl", None, "strong_copyleft", A),  # HF: "GNU Free Documentation License family"
    # --- Hugging Face licence ids that are not SPDX -------------------------------------
    ("openrail", "LicenseRef-OpenRAIL", "model_terms", M),
    ("openrail++", "LicenseRef-OpenRAIL-M", "model_terms", M),
    ("bigscience-openrail-m", "LicenseRef-BigScience-OpenRAIL-M", "model_terms", M),
    ("creativeml-openrail-m", "LicenseRef-CreativeML-OpenRAIL-M", "model_terms", M),
    ("bigscience-bloom-rail-1.0", "LicenseRef-BigScience-BLOOM-RAIL-1.0", "model_terms", M),
    ("llama2", "LicenseRef-Llama-2-Community", "model_terms", M),
    ("llama3", "LicenseRef-Llama-3-Community", "model_terms", M),
    ("llama3.1", "LicenseRef-Llama-3.1-Community", "model_terms", M),
    ("llama3.2", "LicenseRef-Llama-3.2-Community", "model_terms", M),
    ("llama3.3", "LicenseRef-Llama-3.3-Community", "model_terms", M),
    ("llama4", "LicenseRef-Llama-4-Community", "model_terms", M),
    ("gemma", "LicenseRef-Gemma-Terms", "model_terms", M),
    ("deepseek", "LicenseRef-DeepSeek-License", "model_terms", M),
    ("Tongyi Qianwen LICENSE AGREEMENT", "LicenseRef-Qwen-License", "model_terms", M),
    ("other", None, "unknown", U),
    ("unknown", None, "unknown", U),
    # --- model terms written out ----------------------------------------------------------
    ("Llama 2 Community License Agreement", "LicenseRef-Llama-2-Community", "model_terms", M),
    ("Meta Llama 3 Community License", "LicenseRef-Llama-3-Community", "model_terms", M),
    ("OpenAI Terms of Use", "LicenseRef-OpenAI-Terms", "model_terms", M),
    ("Gemma Terms of Use", "LicenseRef-Gemma-Terms", "model_terms", M),
    ("LicenseRef-Llama-2-Community", "LicenseRef-Llama-2-Community", "model_terms", M),
    ("LicenseRef-Proprietary", "LicenseRef-Proprietary", "proprietary", M),
    ("LicenseRef-Made-Up-Thing", None, "unknown", U),
    # --- loose spellings from READMEs -----------------------------------------------------
    ("MIT License", "MIT", "permissive", M),
    ("The MIT License", "MIT", "permissive", M),
    ("The MIT License (MIT)", "MIT", "permissive", M),
    ("mit license.", "MIT", "permissive", M),
    ("Expat", "MIT", "permissive", M),
    ("Apache 2", "Apache-2.0", "permissive", M),
    ("Apache 2.0", "Apache-2.0", "permissive", M),
    ("apache v2", "Apache-2.0", "permissive", M),
    ("Apache License 2.0", "Apache-2.0", "permissive", M),
    ("Apache License, Version 2.0", "Apache-2.0", "permissive", M),
    ("  Apache License Version 2.0  ", "Apache-2.0", "permissive", M),
    ("ASL 2.0", "Apache-2.0", "permissive", M),
    ("BSD 3-Clause", "BSD-3-Clause", "permissive", M),
    ("New BSD License", "BSD-3-Clause", "permissive", M),
    ("Simplified BSD", "BSD-2-Clause", "permissive", M),
    ("Boost Software License", "BSL-1.0", "permissive", M),
    ("GPLv3", "GPL-3.0-only", "strong_copyleft", M),
    ("GPL v2", "GPL-2.0-only", "strong_copyleft", M),
    ("GPLv2+", "GPL-2.0-or-later", "strong_copyleft", M),
    ("GNU GPL v3", "GPL-3.0-only", "strong_copyleft", M),
    ("GNU General Public License v3.0", "GPL-3.0-only", "strong_copyleft", M),
    ("gpl 3", "GPL-3.0-only", "strong_copyleft", M),
    ("AGPLv3", "AGPL-3.0-only", "strong_copyleft", M),
    ("LGPL v2.1", "LGPL-2.1-only", "weak_copyleft", M),
    ("lgpl2", "LGPL-2.0-only", "weak_copyleft", M),  # v2 is the Library GPL 2.0
    ("Mozilla Public License 2.0", "MPL-2.0", "weak_copyleft", M),
    ("Open Database License", "ODbL-1.0", "strong_copyleft", M),
    ("CC0", "CC0-1.0", "public_domain", M),
    ("CC-0", "CC0-1.0", "public_domain", M),
    ("Creative Commons Zero v1.0 Universal", "CC0-1.0", "public_domain", M),
    ("Public Domain", "LicenseRef-Public-Domain", "public_domain", M),
    ("CC BY 4.0", "CC-BY-4.0", "permissive", M),
    ("CC-BY 4.0", "CC-BY-4.0", "permissive", M),
    ("cc by-sa 3.0", "CC-BY-SA-3.0", "strong_copyleft", M),
    ("CC BY-NC-SA 4.0", "CC-BY-NC-SA-4.0", "non_commercial", M),
    ("CC BY-NC 4.0", "CC-BY-NC-4.0", "non_commercial", M),
    ("cc by nc nd 3.0", "CC-BY-NC-ND-3.0", "no_derivatives", M),
    ("CC-BY-NC-ND 4.0 International", "CC-BY-NC-ND-4.0", "no_derivatives", M),
    ("Creative Commons Attribution 4.0 International", "CC-BY-4.0", "permissive", M),
    ("Creative Commons Attribution-ShareAlike 4.0", "CC-BY-SA-4.0", "strong_copyleft", M),
    (
        "Creative Commons Attribution-NonCommercial 4.0 International License",
        "CC-BY-NC-4.0",
        "non_commercial",
        M,
    ),
    (
        "Creative Commons Attribution-NonCommercial-ShareAlike 3.0 Unported",
        "CC-BY-NC-SA-3.0",
        "non_commercial",
        M,
    ),
    ("Creative Commons Attribution-NoDerivatives 4.0", "CC-BY-ND-4.0", "no_derivatives", M),
    ("CC BY 9.9", None, "unknown", U),
    # --- loose and unversioned: ambiguous, never guessed --------------------------------------
    ("cc-by-nc", None, "non_commercial", A),
    ("CC BY-NC-SA", None, "non_commercial", A),
    ("cc-by", None, "permissive", A),
    ("cc-by-sa", None, "strong_copyleft", A),
    ("cc by-nd", None, "no_derivatives", A),
    ("GPL", None, "strong_copyleft", A),
    ("LGPL", None, "weak_copyleft", A),
    ("Creative Commons", None, "unknown", A),
    ("llama", None, "model_terms", A),
    # --- research-only, proprietary and non-licences ----------------------------------------
    ("research only", "LicenseRef-Research-Only", "research_only", M),
    ("For research purposes only", "LicenseRef-Research-Only", "research_only", M),
    ("Academic use only", "LicenseRef-Academic-Only", "research_only", M),
    ("Proprietary", "LicenseRef-Proprietary", "proprietary", M),
    ("All rights reserved", "LicenseRef-All-Rights-Reserved", "proprietary", M),
    ("Commercial license", "LicenseRef-Commercial-Licence", "proprietary", M),
    ("Commercial", None, "unknown", U),
    ("commercial use allowed", None, "unknown", U),
    ("see website", None, "unknown", U),
    ("See LICENSE file", None, "unknown", U),
    ("custom", None, "unknown", U),
    ("various", None, "unknown", U),
    ("open source", None, "unknown", U),
    ("N/A", None, "unknown", U),
    ("free for non-commercial use", "LicenseRef-Non-Commercial", "non_commercial", M),
    ("", None, "unknown", E),
    ("   ", None, "unknown", E),
    # --- URLs --------------------------------------------------------------------------------
    ("https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0", "permissive", M),
    ("http://creativecommons.org/licenses/by-sa/3.0/", "CC-BY-SA-3.0", "strong_copyleft", M),
    (
        "https://creativecommons.org/licenses/by-nc-sa/4.0/legalcode",
        "CC-BY-NC-SA-4.0",
        "non_commercial",
        M,
    ),
    ("https://creativecommons.org/licenses/by-nc/4.0/deed.zh", "CC-BY-NC-4.0", "non_commercial", M),
    ("https://creativecommons.org/licenses/by-nd/4.0/", "CC-BY-ND-4.0", "no_derivatives", M),
    ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0", "public_domain", M),
    ("https://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0", "permissive", M),
    ("http://www.apache.org/licenses/LICENSE-2.0.txt", "Apache-2.0", "permissive", M),
    ("https://opensource.org/licenses/MIT", "MIT", "permissive", M),
    ("https://opensource.org/licenses/BSD-3-Clause", "BSD-3-Clause", "permissive", M),
    ("https://spdx.org/licenses/CC-BY-4.0.html", "CC-BY-4.0", "permissive", M),
    ("https://www.gnu.org/licenses/gpl-3.0.html", "GPL-3.0-only", "strong_copyleft", M),
    (
        "https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html",
        "LGPL-2.1-only",
        "weak_copyleft",
        M,
    ),
    ("https://opendatacommons.org/licenses/odbl/1-0/", "ODbL-1.0", "strong_copyleft", M),
    ("https://opendatacommons.org/licenses/by/1-0/", "ODC-By-1.0", "permissive", M),
    ("https://ai.meta.com/llama/license/", "LicenseRef-Llama-2-Community", "model_terms", M),
    ("https://openai.com/policies/terms-of-use", "LicenseRef-OpenAI-Terms", "model_terms", M),
    ("https://huggingface.co/datasets/foo/bar/blob/main/LICENSE", None, "unknown", U),
    ("https://example.com/our-terms", None, "unknown", U),
    # --- Chinese licence phrases ----------------------------------------------------------------
    ("知识共享署名 4.0 国际许可协议", "CC-BY-4.0", "permissive", M),
    ("知识共享署名-相同方式共享 4.0 国际许可协议", "CC-BY-SA-4.0", "strong_copyleft", M),
    ("知识共享署名-非商业性使用 4.0 国际许可协议", "CC-BY-NC-4.0", "non_commercial", M),
    ("知识共享署名-非商业性使用-相同方式共享 4.0", "CC-BY-NC-SA-4.0", "non_commercial", M),
    ("知识共享署名-非商业性使用-禁止演绎 4.0", "CC-BY-NC-ND-4.0", "no_derivatives", M),
    ("木兰宽松许可证，第2版", "MulanPSL-2.0", "permissive", M),
    ("木兰宽松许可证 第2版", "MulanPSL-2.0", "permissive", M),
    ("仅限研究使用", "LicenseRef-Research-Only", "research_only", M),
    ("仅供学术研究使用", "LicenseRef-Academic-Only", "research_only", M),
    ("版权所有", "LicenseRef-All-Rights-Reserved", "proprietary", M),
    ("商业授权", "LicenseRef-Commercial-Licence", "proprietary", M),
    ("公有领域", "LicenseRef-Public-Domain", "public_domain", M),
    ("开源", None, "unknown", U),
    ("详见官网", None, "unknown", U),
    ("ＭＩＴ", "MIT", "permissive", M),  # full-width letters (NFKC)
    # --- compound expressions: parsed, not string-matched ----------------------------------------
    ("MIT OR Apache-2.0", "MIT OR Apache-2.0", "permissive", M),
    ("apache-2.0 or mit", "Apache-2.0 OR MIT", "permissive", M),
    ("MIT/Apache-2.0", "MIT OR Apache-2.0", "permissive", M),
    ("MIT AND CC-BY-NC-4.0", "MIT AND CC-BY-NC-4.0", "non_commercial", M),
    ("CC-BY-NC-4.0 OR MIT", "CC-BY-NC-4.0 OR MIT", "permissive", M),
    ("GPL-2.0-only OR MIT", "GPL-2.0-only OR MIT", "permissive", M),
    (
        "(MIT OR Apache-2.0) AND CC-BY-SA-4.0",
        "(MIT OR Apache-2.0) AND CC-BY-SA-4.0",
        "strong_copyleft",
        M,
    ),
    ("Apache-2.0 WITH LLVM-exception", "Apache-2.0 WITH LLVM-exception", "permissive", M),
    (
        "GPL-2.0-only WITH Classpath-exception-2.0",
        "GPL-2.0-only WITH Classpath-exception-2.0",
        "strong_copyleft",
        M,
    ),
    ("CC-BY-4.0 AND CC-BY-NC-ND-4.0", "CC-BY-4.0 AND CC-BY-NC-ND-4.0", "no_derivatives", M),
    ("MIT AND research only", "MIT AND LicenseRef-Research-Only", "research_only", M),
    ("llama2 AND MIT", "LicenseRef-Llama-2-Community AND MIT", "model_terms", M),
    ("Apache 2.0 and CC BY 4.0", "Apache-2.0 AND CC-BY-4.0", "permissive", M),
    ("MIT OR GPL", None, "permissive", A),
    ("GPL AND CC-BY-NC-4.0", None, "non_commercial", A),
    ("MIT AND see website", None, "unknown", U),
    ("MIT AND (Apache-2.0", None, "unknown", U),
    ("unknown OR MIT", None, "unknown", U),
]


def test_table_has_at_least_150_strings() -> None:
    assert len(CASES) >= 150
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate inputs in the table"


@pytest.mark.parametrize(
    ("text", "spdx", "category", "outcome"), CASES, ids=[repr(c[0])[:50] for c in CASES]
)
def test_classify(text: str, spdx: str | None, category: str, outcome: str) -> None:
    v = classify(text)
    assert (v.spdx, v.category, v.outcome) == (spdx, category, outcome), v.reason
    assert v.reason
    if outcome == M:
        assert v.confidence >= 0.7
    else:
        assert v.confidence <= 0.5


@pytest.mark.parametrize(
    "text",
    [
        "Commercial",
        "commercial license",
        "non commercial",
        "nc",
        "no commercial use",
        "Commercial use permitted",
    ],
)
def test_commercial_words_never_become_non_commercial_licences(text: str) -> None:
    v = classify(text)
    assert v.spdx is None or "NC" not in v.spdx


def test_flags() -> None:
    nc = classify("CC-BY-NC-SA-4.0")
    assert (nc.commercial_use, nc.attribution_required, nc.share_alike, nc.no_derivatives) == (
        "not allowed",
        True,
        True,
        False,
    )
    assert classify("CC0-1.0").attribution_required is False
    assert classify("MIT-0").attribution_required is False
    nd = classify("CC-BY-ND-4.0")
    assert nd.no_derivatives and nd.commercial_use == "allowed"
    assert classify("llama2").forbids_competing_models
    assert classify("OpenAI Terms of Use").forbids_competing_models
    assert not classify("llama3").forbids_competing_models
    # AND: the most restrictive binds and flags accumulate; OR: the most permissive usable option
    both = classify("CC-BY-SA-4.0 AND CC-BY-NC-4.0")
    assert (both.category, both.commercial_use, both.share_alike) == (
        "non_commercial",
        "not allowed",
        True,
    )
    either = classify("CC-BY-NC-4.0 OR MIT")
    assert (either.category, either.commercial_use) == ("permissive", "allowed")
    assert classify("MIT") is classify("MIT")  # cached
