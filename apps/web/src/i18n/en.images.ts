/** English: images in the chat composer and thread (decision 026). */
export const enImages = {
  'chat.images.attach': 'Attach images',
  'chat.images.attachHint': 'PNG, JPEG, WebP or GIF · up to 5 MB each · up to 4 per message',
  'chat.images.drop': 'Drop images to attach them',
  'chat.images.remove': 'Remove {name}',
  'chat.images.uploading': 'Uploading…',
  'chat.images.pickModel': '{model} cannot read images. Pick a model that can: {models}.',
  'chat.images.lockedTitle': 'Images need a model that can read them',
  'chat.images.lockedHint': 'Your plan has no model that reads images. Upgrade to attach images.',
  'chat.images.noneHere': 'No model here can read images.',
  'chat.images.shown': 'Image {n}',
  'chat.images.error.IMAGE_TYPE': 'Only PNG, JPEG, WebP and GIF images can be attached.',
  'chat.images.error.IMAGE_TOO_LARGE': 'An image may be at most 5 MB.',
  'chat.images.error.TOO_MANY_IMAGES': 'At most 4 images per message.',
  'chat.images.error.TOO_MANY_PENDING': 'Too many images waiting to be sent. Send or remove some.',
  'chat.images.error.IMAGE_CORRUPT': 'This file is not the image it claims to be.',
  'chat.images.error.upload': 'The image could not be uploaded. Try again.',
  'errors.MODEL_NOT_VISION_CAPABLE':
    'This model cannot read images. Pick a model that can, or remove the images.',
} as const;
