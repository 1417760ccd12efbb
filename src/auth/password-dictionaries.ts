import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import * as common from '@zxcvbn-ts/language-common'
// The English dictionaries one by one, leaving out last names: with them the Worker bundle
// passes 1 MiB (docs/benchmarks.md). A person's own last name still counts, as context.
import commonWords from '@zxcvbn-ts/language-en/dist/commonWords.json.mjs'
import firstnames from '@zxcvbn-ts/language-en/dist/firstnames.json.mjs'
import translations from '@zxcvbn-ts/language-en/dist/translations.mjs'
import wikipedia from '@zxcvbn-ts/language-en/dist/wikipedia.json.mjs'
import wordSequences from '@zxcvbn-ts/language-en/dist/wordSequences.json.mjs'

/** zxcvbn with its dictionaries: imported only when a password is first checked (./password-policy.ts). */
export function createZxcvbn(): ZxcvbnFactory {
  return new ZxcvbnFactory({
    translations,
    graphs: common.adjacencyGraphs,
    dictionary: {
      ...common.dictionary,
      'commonWords-en': commonWords,
      'firstnames-en': firstnames,
      'wikipedia-en': wikipedia,
      ...wordSequences,
    },
  })
}
