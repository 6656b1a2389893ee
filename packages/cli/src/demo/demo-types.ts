/** The frameworks the demo runs the pipeline in. */
export type Framework = 'langchain' | 'ai-sdk';
