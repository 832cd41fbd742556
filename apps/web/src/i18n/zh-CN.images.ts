import type { enImages } from './en.images.ts';

export const zhCNImages: { readonly [K in keyof typeof enImages]: string } = {
  'chat.images.attach': '添加图片',
  'chat.images.attachHint': 'PNG、JPEG、WebP 或 GIF · 每张不超过 5 MB · 每条消息最多 4 张',
  'chat.images.drop': '松开即可添加图片',
  'chat.images.remove': '移除 {name}',
  'chat.images.uploading': '上传中…',
  'chat.images.pickModel': '{model} 无法识别图片。请选择可以识图的模型：{models}。',
  'chat.images.lockedTitle': '图片需要能识图的模型',
  'chat.images.lockedHint': '你的套餐中没有能识图的模型。升级后即可添加图片。',
  'chat.images.noneHere': '这里没有能识别图片的模型。',
  'chat.images.shown': '图片 {n}',
  'chat.images.error.IMAGE_TYPE': '只能添加 PNG、JPEG、WebP 和 GIF 图片。',
  'chat.images.error.IMAGE_TOO_LARGE': '每张图片不能超过 5 MB。',
  'chat.images.error.TOO_MANY_IMAGES': '每条消息最多 4 张图片。',
  'chat.images.error.TOO_MANY_PENDING': '待发送的图片过多，请先发送或移除一些。',
  'chat.images.error.IMAGE_CORRUPT': '该文件并不是它声称的图片格式。',
  'chat.images.error.upload': '图片上传失败，请重试。',
  'errors.MODEL_NOT_VISION_CAPABLE': '该模型无法识别图片。请选择能识图的模型，或移除图片。',
};
