export {
  type ScriptedCall,
  ScriptedChatModel,
  type ScriptedChatModelFields,
  type ScriptedReply,
} from './scripted-chat-model';
