"""`rolepack lint`: what a person should change in a role before its posting goes out.

`rolepack validate` decides whether content can be built at all; lint reads valid content the way a
candidate, a regulator or an interviewer would: coded or exclusionary wording, a posting too long
or too hard to read, pay that a law says must be shown, interview questions a law forbids.

- `engine`: the finding, the rule, the role a rule looks at (`Subject`), running rules over roles;
- `kept`: each role's hits kept between runs, so a build that publishes lints only what changed;
- `printed`: the text a job posting prints, each piece with the path that wrote it;
- `matching`: phrase lists as word-boundary patterns;
- `data_files`, `laws`: the rules' data (`data/*.yaml`), each file naming its source and licence;
- `report`: findings as text or JSON lines, the summary line, `--explain`;
- `rules/`: one module per rule, found by `rules.rules()`.
"""
