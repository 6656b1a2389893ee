/**
 * Grammatical words: never names, never the items of a comparison. Capitalized only because
 * they start a sentence or a title.
 */
export const FUNCTION_WORDS: ReadonlySet<string> = wordSet(`
  a about above according actually after again against all almost also although always am an and
  another any anyone anything are as at be because been before being below best better between both
  but by can could did do does doing done during each either else even ever every everything few for
  from further give given gives had has have having he her here hers him his how however i if in
  instead into is it its just kindly let lets like likely many may maybe me might mine more most much
  must my need needs neither never no nor not now of off often on once one only or other others our
  out over own perhaps please quick quickly rather really same several shall she should show since so
  some someone something sometimes still such suppose supposing than thank thanks that the their them
  then there these they this those though through thus to too under unless until up upon us usually
  very was we were what whatever when whenever where whereas wherever whether which while who whoever
  whole whom whose why will with within without would yes yet you your yours
`);

/**
 * Function words plus the verbs and openers that start questions and instructions ("List ...",
 * "Explain ..."). A capitalized word outside this set counts as a name even at a sentence start
 * ("Paris is ..."). Some of these are also nouns ("list", "sort"), so order detection uses only
 * `FUNCTION_WORDS`.
 */
export const COMMON_WORDS: ReadonlySet<string> = new Set([
  ...FUNCTION_WORDS,
  ...wordSet(`
  add answer apply ask assume build calculate can't change check choose compare compute consider
  convert create define demonstrate describe design determine develop discuss do don't draft edit
  estimate evaluate explain express find fix generate get go help identify imagine implement improve
  is it's list look make name note outline paraphrase plan predict provide put read recommend rephrase
  rewrite say see sort suggest summarize summarise take teach tell translate try turn use walk want
  what's write hi hello hey dear okay ok so well now also yes no sure great good nice cool
  example examples today tomorrow yesterday currently recently generally typically basically
  simply first second third next last finally overall additionally furthermore moreover therefore
  hence meanwhile otherwise besides regarding considering assuming given afterwards afterward later
  remember forget avoid stop keep start show let set run call open close install learn understand know
  think mean prefer recommend suggest need want using based new old simple easy main important common
  typical different similar various many some most top best worst good bad quick short long
  current apart nevertheless nonetheless instead refer include incorporate users user parameters
  parameter options option example step steps data file files method methods function functions
  value values type types result results error errors output input version model models feature
  features tool tools library libraries page pages section sections link links
`),
]);

function wordSet(list: string): Set<string> {
  return new Set(list.trim().split(/\s+/));
}
