"""``factcheck import``: an archive of fact-checks → ordinary entry files in ``content/``.

The pipeline, one module per step:

    detect → google | claimreview | csvfile   (a file → a stream of ``Record``s, I/O)
           → clean                            (text, dates, URLs of one record, pure)
           → existing                         (what content/ already holds, I/O)
           → plan                             (records → entry texts, pure: slugs, dedup,
                                               ratings through ``mapping``)
           → commit                           (all files or none: staging and a journal)
           → report                           (counts, unmapped ratings, conflicts)

``run`` drives them. See docs/import.md.
"""
