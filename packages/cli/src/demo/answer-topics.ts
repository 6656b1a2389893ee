import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeJsonFile } from '../output';

/**
 * Which workload topic each answer text belongs to, so a hit can be judged right or wrong.
 * Answers the model gave in earlier runs live on in the cache file, so the table is kept in a
 * file next to it.
 */
export class AnswerTopics {
  private readonly topics = new Map<string, string>();

  static async load(path: string | undefined): Promise<AnswerTopics> {
    const answers = new AnswerTopics();
    if (!path) return answers;
    try {
      const saved = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>;
      for (const [hash, topic] of Object.entries(saved)) answers.topics.set(hash, topic);
    } catch {
      // No table yet (first run, or --fresh): hits on older answers are judged unknown.
    }
    return answers;
  }

  remember(text: string, topic: string): void {
    this.topics.set(hashOf(text), topic);
  }

  topicOf(text: string): string | undefined {
    return this.topics.get(hashOf(text));
  }

  async save(path: string): Promise<void> {
    await writeJsonFile(path, Object.fromEntries(this.topics));
  }
}

function hashOf(text: string): string {
  return createHash('sha256').update(text.trim()).digest('hex');
}
