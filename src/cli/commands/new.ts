/** `backup-triage new rule|cause|fact [--id ID] [--out FILE]` — a commented skeleton that validates once filled in. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { EXIT, UserError } from '../../errors.js';
import { parse } from '../args.js';

const TEMPLATES = {
  fact: (id: string) => `# A fact is one observation a user can make. Validate with: backup-triage validate <this directory>
facts:
  - id: ${id}                      # snake_case, unique across the KB
    type: boolean                  # boolean | enum | number
    question: <What does the user observe? Phrase it as a yes/no question for booleans.>
    help: |
      <How to check it, in plain words: where to look, what the output means.>
    checks:                        # exact commands per platform; shown, never run
      - platform: linux
        run: <command>
    # enum facts list choices (never add "not sure": it is always allowed):
    # choices:
    #   - { value: first_choice, label: <What the user sees> }
    #   - { value: second_choice, label: <...> }
    # number facts need a unit, and may bound the value:
    # unit: s
    # min: 0
    # max: 3600
    # a product-specific question is asked only while the product is unknown or one of these:
    # applies_when: { product: [netbackup] }
`,
  cause: (id: string) => `# A root cause with its remediation. Validate with: backup-triage validate <this directory>
causes:
  - id: ${id}                      # kebab-case; once published, an id is a public interface: never rename it
    title: <Short title of the root cause>
    summary: <One line: what is wrong.>
    explanation: |
      <The mechanism in plain words: how it produces the symptoms users see.>
    products: []                   # product ids from kb/ports.yaml, e.g. [netbackup]
    # the symptom families users usually report for this cause (backup-triage show symptom lists them):
    # presents_with:
    #   symptom: [job_fails_status_or_timeout]
    remediation:                   # ordered; reference catalogues: {{port:netbackup.pbx}}, {{error:nbu-status-25}}
      - step: <First thing to do.>
        commands:
          - { platform: linux, run: "<command>" }
    verification:
      - step: <How the user knows it is fixed.>
    workarounds:                   # optional; shown marked as workarounds
      - step: <A stop-gap.>
        last_resort: false
        caveat: <Why it is not the fix.>
    evidence:                      # what to collect when this cause is a candidate
      - <log or command output>
    sources:
      - { title: <Where this knowledge comes from>, ref: <article id or URL> }
`,
  rule: (id: string) => `# A rule: observations → cause, with its own examples (run by "backup-triage test").
rules:
  - id: ${id}                      # kebab-case, unique
    cause: <cause-id>              # a cause id (backup-triage list causes)
    effect: supports               # supports | excludes (the observations rule the cause out)
    strength: 0.8                  # ≥ 0.8 identifies the cause alone; 0.4-0.6 corroborates
    rationale: <One line: why these observations point at the cause.>
    when:                          # all / any / not over { fact, is } or { fact, op, value }
      all:
        - { fact: <fact_id>, is: true }
        - { fact: <number_fact>, op: ge, value: 10 }   # op: eq ne in nin lt le gt ge
    examples:
      concludes:                   # must make the cause the diagnosis
        - facts: { <fact_id>: true, <number_fact>: 10 }
      near_misses:                 # close, but must not conclude it
        - facts: { <fact_id>: false, <number_fact>: 10 }
          note: <why this is a different situation>
`,
} as const;

export async function newCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse('new', args, { id: { type: 'string' }, out: { type: 'string', short: 'o' } }, true);
  const kind = positionals[0] as keyof typeof TEMPLATES | undefined;
  if (!kind || !(kind in TEMPLATES) || positionals.length > 1) throw new UserError('new needs one of: rule, cause, fact (e.g. "backup-triage new rule --id my-rule --out site/my-rule.yaml")');
  const id = values.id ?? (kind === 'fact' ? 'my_new_fact' : `my-new-${kind}`);
  if (!/^[a-z0-9][a-z0-9_.-]*$/.test(id)) throw new UserError(`--id "${id}" must be lower-case letters, digits, - _ .`);
  const text = TEMPLATES[kind](id);
  if (!values.out) {
    process.stdout.write(text);
    return EXIT.ok;
  }
  if (existsSync(values.out)) throw new UserError(`${values.out} already exists; choose another --out (nothing was overwritten)`);
  try {
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, text, { flag: 'wx' });
  } catch (e) {
    // Under a file, too long a name, no permission, created meanwhile: the user's to fix, in one line.
    throw new UserError(`new: cannot write ${values.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  process.stderr.write(`wrote ${values.out}: fill in the <placeholders>, then run "backup-triage validate ${dirname(values.out)}"\n`);
  return EXIT.ok;
}
