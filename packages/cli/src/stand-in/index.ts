export { OfflineChatModel, type OfflineChatModelFields } from './offline-chat-model';
export { offlineLanguageModel } from './offline-language-model';
export {
  type AnswerBook,
  answerBook,
  OFFLINE_LABEL,
  type StandInReply,
  standInReply,
} from './stand-in-answers';
